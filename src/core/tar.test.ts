import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTar, withParentDirs, type TarEntry } from './tar.js';

const longDir = 'a'.repeat(120);
const entries: TarEntry[] = withParentDirs([
  { type: 'file', path: 'Dockerfile', mode: 0o644, content: Buffer.from('FROM scratch\n') },
  { type: 'file', path: 'bin/run.sh', mode: 0o755, content: Buffer.from('#!/bin/sh\necho hi\n') },
  { type: 'symlink', path: 'bin/alias', target: 'run.sh' },
  { type: 'file', path: `${longDir}/${'b'.repeat(120)}.txt`, mode: 0o644, content: Buffer.alloc(1000, 'x') },
  { type: 'file', path: 'empty', mode: 0o644, content: Buffer.alloc(0) },
]);

describe('createTar', () => {
  it('is byte-identical for the same entries', () => {
    expect(createTar(entries).equals(createTar(entries))).toBe(true);
  });

  it('is read back by GNU tar with modes, links and long names, owned by 0 at mtime 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-tar-'));
    try {
      writeFileSync(join(dir, 'ctx.tar'), createTar(entries));
      const listing = execFileSync('tar', ['-tvf', 'ctx.tar', '--numeric-owner'], { cwd: dir, encoding: 'utf8' });
      expect(listing).toMatch(/^-rw-r--r-- 0\/0 +13 1970-01-01 00:00 Dockerfile$/m);
      execFileSync('tar', ['-xf', 'ctx.tar', '-C', dir], { cwd: dir });
      expect(readFileSync(join(dir, 'bin/run.sh'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
      expect(statSync(join(dir, 'bin/run.sh')).mode & 0o777).toBe(0o755);
      expect(readlinkSync(join(dir, 'bin/alias'))).toBe('run.sh');
      expect(readFileSync(join(dir, longDir, `${'b'.repeat(120)}.txt`)).length).toBe(1000);
      expect(statSync(join(dir, 'empty')).size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
