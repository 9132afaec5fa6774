import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBytes } from './gzip.js';
import { EPOCH, imageManifest, normalizeConfig } from './image-config.js';
import { comparePaths, entryHeader, normalizeLayer, type LayerPart } from './layer-normalize.js';
import { indexTar, TarFormatError, type EntryType } from './tar-index.js';

interface Spec {
  name: string;
  type: EntryType;
  mode?: number;
  uid?: number;
  gid?: number;
  content?: string;
  linkname?: string;
  xattrs?: Record<string, string>;
  mtime?: number;
  uname?: string;
}

/** A tar as a build host would write it: mtimes, user names, PAX time records. */
function hostTar(specs: Spec[]): Buffer {
  const parts: Buffer[] = [];
  for (const s of specs) {
    const content = Buffer.from(s.content ?? '');
    const blocks = entryHeader({ name: s.name, type: s.type, mode: s.mode ?? 0o644, uid: s.uid ?? 0, gid: s.gid ?? 0, size: content.length, linkname: s.linkname ?? '', devmajor: 0, devminor: 0, xattrs: s.xattrs ?? {} });
    const header = blocks[blocks.length - 1]!;
    // What the host adds: a clock and a user name in the header.
    header.write(`${(s.mtime ?? 1_790_000_000).toString(8).padStart(11, '0')}\0`, 136, 12, 'ascii');
    header.write(s.uname ?? 'builder', 265, 32, 'latin1');
    header.write('        ', 148, 8, 'ascii');
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    parts.push(...blocks, content);
    if (content.length % 512) parts.push(Buffer.alloc(512 - (content.length % 512)));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const reader = (tar: Buffer) => (offset: number, length: number) => tar.subarray(offset, offset + length);

function render(tar: Buffer, parts: LayerPart[]): Buffer {
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : tar.subarray(p.offset, p.offset + p.size))));
}

const normalise = (tar: Buffer) => render(tar, normalizeLayer(indexTar(reader(tar), tar.length)));

describe('layer normalisation', () => {
  const files: Spec[] = [
    { name: 'www/', type: 'dir', mode: 0o755 },
    { name: 'www/index.html', type: 'file', content: '<h1>hi</h1>', uid: 1000, gid: 1000 },
    { name: 'app/run.sh', type: 'file', mode: 0o4755, content: '#!/bin/sh\n' },
    { name: 'app/', type: 'dir', mode: 0o750 },
    { name: 'app/link', type: 'symlink', linkname: 'run.sh', mode: 0o777 },
    { name: 'www/.wh.old.html', type: 'file' },
  ];

  it('keeps files, contents, modes and owners; clamps mtimes, drops user names, sorts parents first', () => {
    const out = normalise(hostTar(files));
    const entries = indexTar(reader(out), out.length);
    expect(entries.map((e) => e.path)).toEqual(['app/', 'app/link', 'app/run.sh', 'www/', 'www/.wh.old.html', 'www/index.html']);
    expect(entries.every((e) => e.mtime === 0 && e.uname === '' && e.gname === '')).toBe(true);
    const run = entries.find((e) => e.path === 'app/run.sh')!;
    expect(run.mode).toBe(0o4755);
    expect(out.subarray(run.offset, run.offset + run.size).toString()).toBe('#!/bin/sh\n');
    const index = entries.find((e) => e.path === 'www/index.html')!;
    expect([index.uid, index.gid]).toEqual([1000, 1000]);
    expect(entries.find((e) => e.path === 'app/link')!.linkname).toBe('run.sh');
  });

  it('gives the same bytes whatever the build clock, host user or entry order was', () => {
    const a = normalise(hostTar(files));
    const b = normalise(hostTar([...files].reverse().map((f) => ({ ...f, mtime: 1_800_000_123, uname: 'ci-runner' }))));
    expect(b.equals(a)).toBe(true);
  });

  it('re-anchors a hardlink group on its first path, so the link never precedes its data', () => {
    const tar = hostTar([
      { name: 'z/data', type: 'file', content: 'shared', mode: 0o600 },
      { name: 'a/alias', type: 'hardlink', linkname: 'z/data' },
    ]);
    const out = normalise(tar);
    const entries = indexTar(reader(out), out.length);
    expect(entries.map((e) => [e.path, e.type, e.linkname])).toEqual([
      ['a/alias', 'file', ''],
      ['z/data', 'hardlink', 'a/alias'],
    ]);
    const holder = entries[0]!;
    expect(out.subarray(holder.offset, holder.offset + holder.size).toString()).toBe('shared');
    expect(holder.mode).toBe(0o600);
  });

  it('keeps long names and capabilities (PAX), sorted; drops SELinux labels of the build host', () => {
    const long = `deep/${'d'.repeat(120)}/file.txt`;
    const out = normalise(
      hostTar([{ name: long, type: 'file', content: 'x', xattrs: { 'security.selinux': 'system_u:object_r:container_file_t', 'security.capability': '\x01\x00\x00\x02' } }]),
    );
    const [entry] = indexTar(reader(out), out.length);
    expect(entry!.path).toBe(long);
    expect(entry!.xattrs).toEqual({ 'security.capability': '\x01\x00\x00\x02' });
  });

  it('refuses sparse and unknown entry types instead of writing a different layer', () => {
    const tar = hostTar([{ name: 'f', type: 'file', content: 'x' }]);
    tar.write('S', 156, 1, 'ascii');
    tar.write('        ', 148, 8, 'ascii');
    let sum = 0;
    for (const b of tar.subarray(0, 512)) sum += b;
    tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    expect(() => indexTar(reader(tar), tar.length)).toThrow(TarFormatError);
  });

  it('orders paths by segment bytes: a directory right before its contents', () => {
    expect(['a-b', 'a/b', 'a', 'B', 'a/b/c'].sort(comparePaths)).toEqual(['B', 'a', 'a/b', 'a/b/c', 'a-b']);
  });
});

describe('deterministic gzip', () => {
  it('matches the pinned golden bytes (a change of compressor or level changes every layer digest)', () => {
    const input = Buffer.from(Array.from({ length: 2000 }, (_, i) => `line ${i % 97} of the golden vector\n`).join(''));
    const out = gzipBytes(input);
    expect(gunzipSync(out).equals(input)).toBe(true);
    expect(out.subarray(0, 10).toString('hex')).toBe('1f8b0800000000000003');
    expect(createHash('sha256').update(out).digest('hex')).toBe(GOLDEN);
  });
});

describe('image config', () => {
  const engineConfig = {
    architecture: 'amd64',
    os: 'linux',
    container: 'f00d',
    docker_version: '20.10.24',
    'moby.buildkit.cache.v0': 'x',
    created: '2026-11-29T22:55:24.17Z',
    config: { Hostname: 'f00d', Cmd: ['sh'], Labels: { b: '1', a: '2' } },
    history: [{ created: '2026-11-29T22:54:11Z', comment: 'Imported from -' }, { created: '2026-11-29T22:55:24Z', created_by: 'COPY . /', empty_layer: true }],
    rootfs: { type: 'layers', diff_ids: ['sha256:old'] },
  };

  it('has no clock, host or engine in it, and fixed bytes for equal content', () => {
    const bytes = normalizeConfig(engineConfig, ['sha256:new']);
    const config = JSON.parse(bytes.toString());
    expect(config.created).toBe(EPOCH);
    expect(config.history.map((h: { created: string }) => h.created)).toEqual([EPOCH, EPOCH]);
    expect(config).not.toHaveProperty('container');
    expect(config).not.toHaveProperty('docker_version');
    expect(config).not.toHaveProperty(['moby.buildkit.cache.v0']);
    expect(config.config).toEqual({ Cmd: ['sh'], Labels: { a: '2', b: '1' } });
    expect(config.rootfs.diff_ids).toEqual(['sha256:new']);
    const reordered = { ...engineConfig, created: '2030-01-01T00:00:00Z', config: { Labels: { a: '2', b: '1' }, Cmd: ['sh'], Hostname: 'beef' } };
    expect(normalizeConfig(reordered, ['sha256:new']).equals(bytes)).toBe(true);
  });

  it('writes the manifest with sorted keys and no whitespace', () => {
    const bytes = imageManifest({ mediaType: 'c', size: 2, digest: 'sha256:c' }, [{ mediaType: 'l', size: 1, digest: 'sha256:l' }]).toString();
    expect(bytes).toBe('{"config":{"digest":"sha256:c","mediaType":"c","size":2},"layers":[{"digest":"sha256:l","mediaType":"l","size":1}],"mediaType":"application/vnd.docker.distribution.manifest.v2+json","schemaVersion":2}');
  });
});

/** pako 3.0.3 at level 6, the same on every Node version and CPU (pure JavaScript). */
const GOLDEN = '5135f6ad716f09968aa6840d3163a7a7ce1cdbe3f95eef5388f028278e96dcc9';
