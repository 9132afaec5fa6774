import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTemplateCache } from './template-cache.js';

const build = '0123456789abcdef';
const other = 'fedcba9876543210';

describe('FileTemplateCache', () => {
  it('remembers compiled templates per build of slipway, one file per source', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'slipway-templates-')), 'templates');
    new FileTemplateCache(root, build).set('a: {{x}}', '{"main":1}');
    expect(new FileTemplateCache(root, build).get('a: {{x}}')).toBe('{"main":1}');
    expect(new FileTemplateCache(root, build).get('a: {{y}}')).toBeUndefined();
    expect(new FileTemplateCache(root, other).get('a: {{x}}')).toBeUndefined();
    expect(readdirSync(join(root, build))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.js$/)]);
  });

  it('a new build deletes builds not written to for a day, and nothing else', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'slipway-templates-')), 'templates');
    new FileTemplateCache(root, other).set('t', 'old');
    new FileTemplateCache(root, '1111111111111111').set('t', 'recent');
    mkdirSync(join(root, 'not-a-build'));
    const dayAndMore = new Date(Date.now() - 25 * 60 * 60 * 1000);
    utimesSync(join(root, other), dayAndMore, dayAndMore);
    utimesSync(join(root, 'not-a-build'), dayAndMore, dayAndMore);
    new FileTemplateCache(root, build).set('t', 'new');
    expect(readdirSync(root).sort()).toEqual(['1111111111111111', build, 'not-a-build'].sort());
  });

  it.skipIf(process.platform === 'win32')('writes for this user alone, and does not read what others may write', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'slipway-templates-')), 'templates');
    const cache = new FileTemplateCache(root, build);
    cache.set('t', 'x');
    const [entry] = readdirSync(join(root, build));
    expect(statSync(join(root, build)).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, build, entry!)).mode & 0o777).toBe(0o600);
    expect(new FileTemplateCache(root, build).get('t')).toBe('x');
    chmodSync(join(root, build, entry!), 0o620); // group-writable: someone else could have changed it
    expect(new FileTemplateCache(root, build).get('t')).toBeUndefined();
    chmodSync(join(root, build, entry!), 0o600);
    chmodSync(join(root, build), 0o777);
    expect(new FileTemplateCache(root, build).get('t')).toBeUndefined();
    chmodSync(join(root, build), 0o700);
    expect(new FileTemplateCache(root, build).get('t')).toBe('x');
  });

  it('an unwritable directory is no cache, not an error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slipway-templates-')), 'a-file');
    writeFileSync(file, '');
    const cache = new FileTemplateCache(join(file, 'templates'), build); // below a file: ENOTDIR
    cache.set('t', 'x');
    expect(cache.get('t')).toBeUndefined();
  });

  it('refuses a build id that could name another directory', () => {
    expect(() => new FileTemplateCache('/tmp/x', '../../etc')).toThrow(/not a build id/);
  });
});
