import { describe, expect, it } from 'vitest';
import { jsonPatch, mergePatch, strategicMergePatch } from './patches.js';
import { rootType } from './schema.js';

const POD = rootType('', 'v1', 'Pod');

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, deletes on null, replaces lists', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});

describe('strategic merge patch', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }], nodeSelector: { a: '1' }, imagePullSecrets: [{ name: 'x' }] } };

  it('merges keyed lists by their merge key and replaces other lists', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'b', image: 'b:2', args: ['y'] }, { name: 'c', image: 'c:1' }], nodeSelector: { b: '2' } } }, POD);
    expect(out).toEqual({ spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2', args: ['y'] }, { name: 'c', image: 'c:1' }], nodeSelector: { a: '1', b: '2' }, imagePullSecrets: [{ name: 'x' }] } });
    // A container's args (no patch strategy) are replaced, not merged.
    const again = strategicMergePatch(out, { spec: { containers: [{ name: 'b', args: ['z'] }] } }, POD) as any;
    expect(again.spec.containers[1].args).toEqual(['z']);
  });

  it('honours $patch: delete in list items and $patch: replace on maps', () => {
    expect(strategicMergePatch(pod, { spec: { containers: [{ name: 'a', $patch: 'delete' }] } }, POD)).toEqual({ spec: { containers: [{ name: 'b', image: 'b:1' }], nodeSelector: { a: '1' }, imagePullSecrets: [{ name: 'x' }] } });
    expect(strategicMergePatch(pod, { spec: { nodeSelector: { $patch: 'replace', c: '3' } } }, POD)).toMatchObject({ spec: { nodeSelector: { c: '3' } } });
  });

  it('merges primitive lists with a merge strategy as sets (metadata.finalizers)', () => {
    const out = strategicMergePatch({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['b', 'c'] } }, POD);
    expect(out).toEqual({ metadata: { finalizers: ['a', 'b', 'c'] } });
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = { metadata: { labels: { 'a/b': '1' } }, list: [1, 2, 3] };

  it('applies add, replace, remove, move, copy and test with ~1 escapes', () => {
    const out = jsonPatch(doc, [
      { op: 'add', path: '/list/1', value: 9 },
      { op: 'replace', path: '/metadata/labels/a~1b', value: '2' },
      { op: 'remove', path: '/list/0' },
      { op: 'copy', from: '/list/0', path: '/first' },
      { op: 'move', from: '/first', path: '/moved' },
      { op: 'test', path: '/moved', value: 9 },
    ]);
    expect(out).toEqual({ metadata: { labels: { 'a/b': '2' } }, list: [9, 2, 3], moved: 9 });
    expect(doc.list).toEqual([1, 2, 3]);
  });

  it('fails a test operation or a missing path with 422', () => {
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/list/0', value: 5 }])).toThrow(/testing value at \/list\/0 failed/);
    expect(() => jsonPatch(doc, [{ op: 'replace', path: '/nope/x', value: 1 }])).toThrow(/doc is missing path/);
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow(/must be an array/);
  });
});
