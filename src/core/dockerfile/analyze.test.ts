import { describe, expect, it } from 'vitest';
import { analyzeDockerfile, dependencyPlaceholder, type AnalyzeInput } from './analyze.js';
import { DockerfileSyntaxError, parseDockerfile } from './parse.js';

function analyze(text: string, extra: Partial<AnalyzeInput> = {}) {
  return analyzeDockerfile({
    dockerfile: parseDockerfile(text),
    platform: 'linux/amd64',
    buildArgs: {},
    dependencyArgs: {},
    imageNames: new Set(['api', 'base']),
    ...extra,
  });
}

const PINNED = 'alpine@sha256:' + 'a'.repeat(64);

describe('analyzeDockerfile', () => {
  it('keeps only the stages the target reaches', () => {
    const r = analyze(`FROM ${PINNED} AS deps\nCOPY package.json .\nFROM ${PINNED} AS unused\nCOPY unused.txt .\nFROM deps AS build\nCOPY src/ src/\nFROM ${PINNED}\nCOPY --from=build /out /out\n`);
    expect(r.stages.map((s) => s.name)).toEqual(['deps', 'build', null]);
    expect(r.sources.map((s) => s.pattern)).toEqual(['package.json', 'src/']);
    expect(r.warnings).toEqual([]);
  });

  it('follows --target', () => {
    const r = analyze(`FROM ${PINNED} AS a\nCOPY a .\nFROM ${PINNED} AS b\nCOPY b .\n`, { target: 'a' });
    expect(r.sources.map((s) => s.pattern)).toEqual(['a']);
    expect(() => analyze(`FROM ${PINNED} AS a\n`, { target: 'nope' })).toThrow(DockerfileSyntaxError);
  });

  it('follows COPY --from by index and RUN --mount from=', () => {
    const r = analyze(`FROM ${PINNED}\nCOPY zero .\nFROM ${PINNED} AS tools\nCOPY t .\nFROM ${PINNED}\nCOPY --from=0 /x /x\nRUN --mount=type=bind,from=tools,target=/t ls\n`);
    expect(r.stages).toHaveLength(3);
    expect(r.sources.map((s) => s.pattern)).toEqual(['zero', 't']);
  });

  it('collects bind-mount sources (default: the whole context)', () => {
    const r = analyze(`FROM ${PINNED}\nRUN --mount=type=bind,source=go.sum,target=/s --mount=type=cache,target=/c --mount=target=/ctx make\n`);
    expect(r.sources.map((s) => [s.pattern, s.instruction])).toEqual([
      ['go.sum', 'RUN --mount'],
      ['.', 'RUN --mount'],
    ]);
  });

  it('resolves global and stage ARGs, build args overriding defaults', () => {
    const text = `ARG BASE=alpine\nARG TAG=3\nFROM \${BASE}:\${TAG}\nARG TAG\nARG MODE=debug\nARG UNSET\nARG TARGETARCH\nARG BUILDARCH\nCOPY \${MODE}/ /app/\n`;
    const r = analyze(text, { buildArgs: { MODE: 'release', TAG: '4', UNDECLARED: 'x' } });
    expect(r.stages[0]!.from).toBe('alpine:4');
    expect(r.args).toEqual({ TAG: '4', MODE: 'release', UNSET: null, TARGETARCH: 'amd64', BUILDARCH: null });
    expect(r.sources.map((s) => s.pattern)).toEqual(['release/']);
  });

  it('finds slipway images used via FROM, COPY --from and ARG dependencies', () => {
    const r = analyze('ARG API_IMAGE\nFROM base\nCOPY --from=api /a /a\nFROM ${API_IMAGE}\nCOPY --from=0 /b /b\n', {
      dependencyArgs: { API_IMAGE: 'api' },
    });
    expect(r.imageDeps).toEqual(['api', 'base']);
    expect(r.argDeps).toEqual(['api']);
    expect(r.stages.at(-1)!.from).toBe(dependencyPlaceholder('api'));
  });

  it('warns about unpinned FROM, COPY --from images and ADD <url>', () => {
    const r = analyze(`FROM ${PINNED}\nCOPY --from=nginx:1 /etc/nginx /etc/nginx\nADD https://example.com/x.tgz /x\nADD --checksum=sha256:${'b'.repeat(64)} https://example.com/y /y\nFROM scratch\nCOPY --from=0 / /\nFROM debian:12\nCOPY --from=1 / /\n`);
    expect(r.warnings.map((w) => w.line)).toEqual([2, 3, 7]);
    expect(r.sources).toEqual([]);
  });

  it('skips heredoc sources', () => {
    expect(analyze(`FROM ${PINNED}\nCOPY <<EOF /etc/motd\nhello\nEOF\n`).sources).toEqual([]);
  });

  it.each([
    ['RUN x\nFROM a', 'RUN before the first FROM'],
    ['ARG X', 'no FROM instruction'],
    ['FROM a\nCOPY onlyone', 'COPY requires at least two arguments'],
    ['FROM a\nCOPY --from=3 /a /b', 'invalid stage index 3'],
    ['FROM a b c d', 'FROM requires one image, optionally followed by "AS name"'],
  ])('rejects %j', (text, message) => {
    expect(() => analyze(text)).toThrow(message);
  });
});

describe('inputs a Dockerfile hides outside its text', () => {
  it('FROM --platform is recorded after ARG substitution; $BUILDPLATFORM stays symbolic', () => {
    const arm = analyze(`ARG P=linux/arm64\nFROM --platform=$P ${PINNED}\n`);
    const amd = analyze(`ARG P=linux/amd64\nFROM --platform=$P ${PINNED}\n`);
    expect(arm.stages[0]!.platform).toBe('linux/arm64');
    expect(amd.stages[0]!.platform).toBe('linux/amd64');
    expect(analyze(`FROM --platform=$BUILDPLATFORM ${PINNED}\n`).stages[0]!.platform).toBe('$BUILDPLATFORM');
    expect(analyze(`FROM ${PINNED}\n`).stages[0]!.platform).toBeUndefined();
  });

  it('the # syntax= frontend is an input, and unpinned it is a warning', () => {
    const r = analyze(`# syntax=docker/dockerfile:1\nFROM ${PINNED}\n`);
    expect(r.syntax).toBe('docker/dockerfile:1');
    expect(r.warnings).toEqual([{ line: 1, message: expect.stringContaining('frontend "docker/dockerfile:1" (# syntax=) is not pinned') }]);
    const pinned = analyze(`# syntax=docker/dockerfile:1@sha256:${'b'.repeat(64)}\nFROM ${PINNED}\n`);
    expect(pinned.warnings).toEqual([]);
  });

  it('COPY --exclude patterns are kept with their source', () => {
    expect(analyze(`FROM ${PINNED}\nCOPY --exclude=*.md --exclude=tmp docs/ /docs/\n`).sources).toEqual([{ pattern: 'docs/', line: 2, instruction: 'COPY', exclude: ['*.md', 'tmp'] }]);
  });
});
