// The build context over a BuildKit session, against the stack's real engine: the build sees the
// same files, modes, owners, file times and bytes as from slipway's context tar, and a session
// stays up through a build that outlasts its transfer. Directory times are
// the exception the engine makes (core/context/directory-times.ts): fixed from the tar, the time
// of the transfer over a session.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DockerEngine } from '../src/adapters/docker.js';
import { parseReference } from '../src/core/image-ref.js';
import { createTar, withParentDirs, type TarEntry } from '../src/core/tar.js';
import type { BuildRequest } from '../src/ports/index.js';
import { stackEnv } from './helpers/stack.js';

const file = (path: string, content: string | Buffer, mode = 0o644): TarEntry => ({ type: 'file', path, mode, content: Buffer.from(content) });

// Names whose order differs between a plain sort and filepath.Walk, a file over one 32 KiB
// packet, an empty file, an executable, a link, non-ASCII and spaces.
const files: TarEntry[] = [
  file('Dockerfile', 'FROM busybox:stable\nCOPY . /ctx/\nRUN cd /ctx && find . | sort | while read -r f; do echo "ls $(stat -c \'%a %u:%g %Y %s %F\' "$f") $f"; done && find . -type f | sort | while read -r f; do echo "sum $(sha256sum "$f")"; done && sleep 3\n'),
  file('a.txt', 'top\n'),
  file('a/b/c.txt', 'deep\n'),
  file('a-b', ''),
  file('bin/run.sh', '#!/bin/sh\necho run\n', 0o755),
  { type: 'symlink', path: 'link', target: 'a/b/c.txt' },
  file('big.bin', Buffer.alloc(100_000, 'x')),
  file('dir with space/ünï.txt', 'ü\n'),
];

function request(tag: string, session: boolean): BuildRequest {
  const entries = withParentDirs([...files].sort((a, b) => (a.path < b.path ? -1 : 1)));
  return {
    ref: parseReference(`slipway-build-session:${tag}`),
    context: createTar(entries),
    ...(session ? { session: { entries, key: randomUUID() } } : {}),
    dockerfile: 'Dockerfile',
    buildArgs: {},
    platform: 'linux/amd64',
    labels: {},
    noCache: true,
  };
}

async function build(session: boolean): Promise<{ lines: string[]; listing: string[] }> {
  const engine = new DockerEngine({ DOCKER_HOST: stackEnv().DOCKER_HOST });
  const lines: string[] = [];
  const image = await engine.build(request(`${process.pid}-${session}`, session), (l) => lines.push(l));
  await engine.discard(image);
  return { lines, listing: lines.map((l) => l.trim()).filter((l) => /^(ls|sum) /.test(l)) };
}

describe('build context over a BuildKit session', () => {
  it('gives the build the files, modes, owners, file times and bytes the context tar gives it', async () => {
    const tar = await build(false);
    const session = await build(true);
    expect(tar.lines.some((l) => l.includes('load remote build context'))).toBe(true);
    expect(session.lines.some((l) => l.includes('[internal] load build context'))).toBe(true);
    expect(session.lines.some((l) => l.includes('remote build context'))).toBe(false);
    expect(session.listing.length).toBe(files.length + 5 + files.filter((f) => f.type === 'file').length);
    const dirTimes = (listing: string[]) => listing.filter((l) => / directory \.\//.test(l)).map((l) => l.split(' ')[3]);
    const anyDirTime = (listing: string[]) => listing.map((l) => (/ directory /.test(l) ? l.replace(/^(ls \S+ \S+) \d+/, '$1 *') : l));
    expect(anyDirTime(session.listing)).toEqual(anyDirTime(tar.listing));
    expect(dirTimes(tar.listing)).toEqual(['0', '0', '0', '0']);
    expect(dirTimes(session.listing).every((t) => Number(t) > 0)).toBe(true);
    expect(session.listing).toContain('ls 777 0:0 0 9 symbolic link ./link');
    expect(session.listing).toContain('ls 755 0:0 0 19 regular file ./bin/run.sh');
    expect(session.listing).toContain('ls 644 0:0 0 100000 regular file ./big.bin');
    expect(session.listing).toContain('ls 644 0:0 0 0 regular empty file ./a-b');
  }, 120_000);
});
