import { describe, expect, it } from 'vitest';
import { TreeFiles } from './tree-files.js';

const entry = (oid: string) => ({ mode: '100644', oid });

describe('TreeFiles', () => {
  // Names that sort around "dir/": '-' and '.' before '/', '0' right after it.
  const paths = ['a', 'dir-x/f', 'dir.txt', 'dir/b', 'dir/sub/c', 'dir0', 'dirz/d', 'é/f', '😀/g', '\uffff/h'];
  const listed = TreeFiles.fromEntries([...paths].reverse().map((p, i) => [p, entry(`o${i}`)] as const));

  it('sorts by UTF-16 code units whatever order it is given', () => {
    expect([...listed.keys()]).toEqual([...paths].sort());
    expect(listed.size).toBe(paths.length);
  });

  it('finds a directory’s files as one run, paths relative to it', () => {
    expect(listed.under('dir').map((f) => f.path)).toEqual(['b', 'sub/c']);
    expect(listed.under('dir/sub').map((f) => f.path)).toEqual(['c']);
    expect(listed.under('di')).toEqual([]);
    expect(listed.under('dir/b')).toEqual([]);
    expect(listed.under('').length).toBe(paths.length);
    expect(listed.hasUnder('dirz')).toBe(true);
    expect(listed.hasUnder('dir.txt')).toBe(false);
    expect(listed.under('😀')).toEqual([{ path: 'g', mode: '100644', oid: listed.get('😀/g')!.oid }]);
  });

  it('answers get and has as the map of its entries would', () => {
    const map = new Map([...paths].reverse().map((p, i) => [p, entry(`o${i}`)]));
    for (const p of [...paths, 'dir', 'missing', '']) {
      expect(listed.get(p)).toEqual(map.get(p));
      expect(listed.has(p)).toBe(map.has(p));
    }
    expect(new Map(listed)).toEqual(map);
  });

  it('keeps the last of duplicate paths, as a map does', () => {
    const t = TreeFiles.fromColumns(['b', 'a', 'b'], ['100644', '100644', '100755'], ['1', '2', '3']);
    expect([...t]).toEqual([['a', { mode: '100644', oid: '2' }], ['b', { mode: '100755', oid: '3' }]]);
  });
});
