import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lstat, readFile, readlink, stat } from './fs-async.js';

const dir = mkdtempSync(join(tmpdir(), 'slipway-fs-async-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fs-async', () => {
  it('reads bytes or text, and follows or reads links as node:fs/promises does', async () => {
    writeFileSync(join(dir, 'f'), 'h\u00e9\n');
    symlinkSync('f', join(dir, 'link'));
    expect(await readFile(join(dir, 'f'))).toEqual(Buffer.from('h\u00e9\n'));
    expect(await readFile(join(dir, 'f'), 'utf8')).toBe('h\u00e9\n');
    expect((await stat(join(dir, 'link'))).isFile()).toBe(true);
    expect((await lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'link'))).toBe('f');
  });

  it('rejects with the errno error and its code', async () => {
    await expect(readFile(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT', path: join(dir, 'missing') });
    await expect(stat(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readlink(join(dir, 'f'))).rejects.toMatchObject({ code: 'EINVAL' });
  });
});
