import { describe, expect, it } from 'vitest';
import { DockerfileSyntaxError, parseDockerfile, splitFlags } from './parse.js';

const normalized = (text: string) => parseDockerfile(text).instructions.map((i) => i.normalized);

describe('parseDockerfile', () => {
  it('normalises keyword case, comments, blank lines and continuations', () => {
    const a = normalized('FROM alpine\nRUN echo a && \\\n    echo b\nCOPY . /app\n');
    const b = normalized('# a comment\nfrom alpine\n\n\nrun echo a && \\\n# inside a continuation\n\n    echo b\n  copy . /app   \n');
    expect(b).toEqual(a);
    expect(a).toEqual(['FROM alpine', 'RUN echo a &&     echo b', 'COPY . /app']);
  });

  it('keeps every other character', () => {
    expect(normalized('FROM alpine\nRUN echo  a')).not.toEqual(normalized('FROM alpine\nRUN echo a'));
  });

  it('honours the escape directive', () => {
    const r = parseDockerfile('# escape=`\nFROM windows\nRUN dir `\n  c:\\\n');
    expect(r.escape).toBe('`');
    expect(r.instructions.map((i) => i.normalized)).toEqual(['FROM windows', 'RUN dir   c:\\']);
  });

  it('a directive after a comment is a comment', () => {
    expect(parseDockerfile('# hello\n# escape=`\nFROM a').escape).toBe('\\');
  });

  it('reads heredocs into the instruction', () => {
    const r = parseDockerfile('FROM a\nRUN <<EOF\necho one\n# not a comment\nEOF\nCOPY <<-"CONF" /etc/x.conf\n\tkey=value\n\tCONF\nUSER app\n');
    expect(r.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'COPY', 'USER']);
    expect(r.instructions[1]!.heredocs).toEqual([{ name: 'EOF', body: 'echo one\n# not a comment' }]);
    expect(r.instructions[2]!.normalized).toBe('COPY <<-"CONF" /etc/x.conf\n\tkey=value\nCONF');
    expect(r.instructions[3]!.line).toBe(9);
  });

  it('records the line of each instruction', () => {
    expect(parseDockerfile('\n\nFROM a\nRUN x \\\n y\nUSER z').instructions.map((i) => i.line)).toEqual([3, 4, 6]);
  });

  it.each([
    ['FROM a\nRUNN x', 'unknown instruction: RUNN', 2],
    ['FROM a\nRUN <<EOF\nno end', 'unterminated heredoc <<EOF', 2],
    ['# escape=x\nFROM a', "invalid escape token 'x'", 1],
  ])('rejects %j', (text, message, line) => {
    try {
      parseDockerfile(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DockerfileSyntaxError);
      expect((err as DockerfileSyntaxError).message).toBe(message);
      expect((err as DockerfileSyntaxError).line).toBe(line);
    }
  });
});

describe('splitFlags', () => {
  it('splits flags from shell-form and JSON-form arguments', () => {
    expect(splitFlags('--from=build --chown=1:1 a b /dst')).toEqual({
      flags: new Map([['from', ['build']], ['chown', ['1:1']]]),
      args: ['a', 'b', '/dst'],
      json: false,
    });
    expect(splitFlags('--link ["a b", "/dst"]')).toEqual({ flags: new Map([['link', ['true']]]), args: ['a b', '/dst'], json: true });
    expect(splitFlags('--mount=type=bind,source=x --mount=type=cache,target=/c make').flags.get('mount')).toEqual([
      'type=bind,source=x',
      'type=cache,target=/c',
    ]);
  });
});
