import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, FileLayerStore } from './layer-cache.js';

const diffId = `sha256:${'a'.repeat(64)}`;
const layer = { digest: `sha256:${'b'.repeat(64)}`, size: 1234, repository: { registry: '127.0.0.1:5000', repository: 'shop/api' } };

describe('FileLayerStore', () => {
  it('remembers a compressed layer for the next run, per gzip scheme', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-layers-'));
    new FileLayerStore(dir, 'pako-x-level-6').set(diffId, { ...layer, repository: { ...layer.repository, tag: 'abc' } });
    expect(new FileLayerStore(dir, 'pako-x-level-6').get(diffId)).toEqual(layer);
    expect(new FileLayerStore(dir, 'pako-y-level-6').get(diffId)).toBeUndefined();
    expect(readdirSync(join(dir, 'layers', 'pako-x-level-6'))).toEqual([`${'a'.repeat(64)}.json`]);
  });

  it('ignores entries it cannot trust and ids that are not diff ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-layers-'));
    const store = new FileLayerStore(dir, 's');
    store.set('../../etc/passwd', layer);
    expect(readdirSync(dir)).toEqual([]);
    store.set(diffId, layer);
    writeFileSync(join(dir, 'layers', 's', `${'a'.repeat(64)}.json`), '{"digest":"sha256:x","size":-1}');
    expect(new FileLayerStore(dir, 's').get(diffId)).toBeUndefined();
    writeFileSync(join(dir, 'layers', 's', `${'a'.repeat(64)}.json`), 'not json');
    expect(new FileLayerStore(dir, 's').get(diffId)).toBeUndefined();
  });

  it('an unwritable directory is no cache, not an error', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slipway-layers-')), 'a-file');
    writeFileSync(file, '');
    const store = new FileLayerStore(join(file, 'cache'), 's'); // below a file: ENOTDIR
    store.set(diffId, layer);
    expect(store.get(diffId)).toEqual(layer); // this run's own
  });
});

describe('cacheDir', () => {
  it.each([
    [{ SLIPWAY_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' }, '/c'],
    [{ SLIPWAY_CACHE_DIR: '', HOME: '/h' }, undefined],
    [{ XDG_CACHE_HOME: '/x', HOME: '/h' }, '/x/slipway'],
    [{ HOME: '/h' }, '/h/.cache/slipway'],
  ])('%j -> %s', (env, dir) => {
    expect(cacheDir(env)).toBe(dir);
  });
});
