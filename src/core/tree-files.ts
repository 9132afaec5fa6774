// A commit's files as three columns sorted by path (UTF-16 code units, as JavaScript compares):
// no object and no hash-map entry per file until one is asked for. A directory's files are one
// contiguous run, found by binary search: a build context is a slice, not a scan of the tree.
import type { ContextFile } from './context/select.js';
import { lowerBound, rangeUnder } from './sorted-paths.js';

export class TreeFiles implements ReadonlyMap<string, { mode: string; oid: string }> {
  private constructor(
    private readonly paths: readonly string[],
    private readonly modes: readonly string[],
    private readonly oids: readonly string[],
  ) {}

  /** Columns of one file each; sorted here unless they already are (Git lists ASCII paths in this order). */
  static fromColumns(paths: string[], modes: string[], oids: string[]): TreeFiles {
    let sorted = true;
    for (let i = 1; i < paths.length && sorted; i++) sorted = paths[i - 1]! < paths[i]!;
    if (sorted) return new TreeFiles(paths, modes, oids);
    // Duplicates keep the last, as a Map would.
    const order = new Map(paths.map((p, i) => [p, i]));
    const keys = [...order.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const at = keys.map((k) => order.get(k)!);
    return new TreeFiles(keys, at.map((i) => modes[i]!), at.map((i) => oids[i]!));
  }

  static fromEntries(entries: Iterable<readonly [string, { mode: string; oid: string }]>): TreeFiles {
    const paths: string[] = [];
    const modes: string[] = [];
    const oids: string[] = [];
    for (const [path, e] of entries) {
      paths.push(path);
      modes.push(e.mode);
      oids.push(e.oid);
    }
    return TreeFiles.fromColumns(paths, modes, oids);
  }

  get size(): number {
    return this.paths.length;
  }

  get(path: string): { mode: string; oid: string } | undefined {
    const i = this.indexOf(path);
    return i < 0 ? undefined : { mode: this.modes[i]!, oid: this.oids[i]! };
  }

  has(path: string): boolean {
    return this.indexOf(path) >= 0;
  }

  /** The files below `dir` ('' for every file), paths relative to it, in path order. */
  under(dir: string): ContextFile[] {
    const [from, to] = this.range(dir);
    const cut = dir === '' ? 0 : dir.length + 1;
    const out = new Array<ContextFile>(to - from);
    for (let i = from; i < to; i++) out[i - from] = { path: cut ? this.paths[i]!.slice(cut) : this.paths[i]!, mode: this.modes[i]!, oid: this.oids[i]! };
    return out;
  }

  /** Whether any file lies below `dir`. */
  hasUnder(dir: string): boolean {
    const [from, to] = this.range(dir);
    return to > from;
  }

  *entries(): MapIterator<[string, { mode: string; oid: string }]> {
    for (let i = 0; i < this.paths.length; i++) yield [this.paths[i]!, { mode: this.modes[i]!, oid: this.oids[i]! }];
  }

  keys(): MapIterator<string> {
    return this.paths[Symbol.iterator]() as MapIterator<string>;
  }

  *values(): MapIterator<{ mode: string; oid: string }> {
    for (let i = 0; i < this.paths.length; i++) yield { mode: this.modes[i]!, oid: this.oids[i]! };
  }

  [Symbol.iterator](): MapIterator<[string, { mode: string; oid: string }]> {
    return this.entries();
  }

  forEach(fn: (value: { mode: string; oid: string }, key: string, map: ReadonlyMap<string, { mode: string; oid: string }>) => void): void {
    for (let i = 0; i < this.paths.length; i++) fn({ mode: this.modes[i]!, oid: this.oids[i]! }, this.paths[i]!, this);
  }

  private indexOf(path: string): number {
    const i = lowerBound(this.paths.length, this.pathAt, path);
    return this.paths[i] === path ? i : -1;
  }

  private range(dir: string): [number, number] {
    return dir === '' ? [0, this.paths.length] : rangeUnder(this.paths.length, this.pathAt, dir);
  }

  private readonly pathAt = (i: number): string => this.paths[i]!;
}
