// The digest's file set: context files (after .dockerignore) that a COPY/ADD source or a
// RUN --mount=type=bind source reaches, matched the way BuildKit resolves them.
import { posix } from 'node:path';
import type { SourceRef } from '../dockerfile/analyze.js';
import { DockerIgnore } from './dockerignore.js';
import { goMatchRegExp, hasGlobMeta } from './gomatch.js';
import { lowerBound, rangeUnder } from '../sorted-paths.js';

export interface ContextFile {
  /** Relative to the context directory, `/`-separated. */
  path: string;
  /** Git file mode: 100644, 100755 or 120000. */
  mode: string;
  /** Git object id of the content. */
  oid: string;
}

export interface Selection {
  files: ContextFile[];
  /** Named (non-glob) sources that exist nowhere in the context. */
  missing: SourceRef[];
}

/** `/a/./b/` -> `a/b`; `../x` stays inside the context as BuildKit scopes it (`x`). */
export function cleanSourcePath(pattern: string): string {
  const p = posix.normalize(`/${pattern}`).replace(/\/+$/, '').slice(1);
  return p === '' ? '.' : p;
}

/** The context after .dockerignore, sorted by path once for all of an image's sources. */
interface ContextIndex {
  all: readonly ContextFile[];
  ignore: DockerIgnore;
  included: readonly ContextFile[];
  /** Every directory holding an included file: built only for glob sources. */
  dirs?: Set<string>;
}

const byPath = (a: ContextFile, b: ContextFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function indexContext(all: readonly ContextFile[], ignore: DockerIgnore): ContextIndex {
  const kept = ignore.isEmpty ? all : all.filter((f) => ignore.includes(f.path));
  // A snapshot lists a context sorted already: then checking is all it costs.
  let sorted = true;
  for (let i = 1; i < kept.length && sorted; i++) sorted = kept[i - 1]!.path < kept[i]!.path;
  return { all, ignore, included: sorted ? kept : [...kept].sort(byPath) };
}

function dirsOf(index: ContextIndex): Set<string> {
  if (index.dirs) return index.dirs;
  const dirs = new Set<string>();
  // Files of one directory come together (sorted): its parents are added once per run of files.
  let last = '';
  for (const f of index.included) {
    const end = f.path.lastIndexOf('/');
    if (end < 0 || (end === last.length && f.path.startsWith(last))) continue;
    last = f.path.slice(0, end);
    for (let i = last.indexOf('/'); i >= 0; i = last.indexOf('/', i + 1)) dirs.add(last.slice(0, i));
    dirs.add(last);
  }
  return (index.dirs = dirs);
}

const lowerBoundOf = (files: readonly ContextFile[], key: string) => lowerBound(files.length, (i) => files[i]!.path, key);
const rangeOf = (files: readonly ContextFile[], dir: string) => rangeUnder(files.length, (i) => files[i]!.path, dir);

export function selectContextFiles(all: readonly ContextFile[], ignore: DockerIgnore, sources: readonly SourceRef[]): Selection {
  // What the sources reach is marked per file of the sorted context: no set, no sort afterwards.
  const index = indexContext(all, ignore);
  const { included } = index;
  const chosen = new Uint8Array(included.length);
  const missing: SourceRef[] = [];
  for (const source of sources) {
    if (!source.exclude?.length) {
      if (!markReached(index, source, chosen)) missing.push(source);
      continue;
    }
    // The files one COPY/ADD source copies: what it reaches, less its --exclude patterns.
    const reached = new Uint8Array(included.length);
    if (!markReached(index, source, reached)) missing.push(source);
    // BuildKit matches --exclude below the source: relative to the copied directory (or the context).
    const root = cleanSourcePath(source.pattern);
    const [from, to] = root === '.' || hasGlobMeta(root) ? [0, 0] : rangeOf(included, root);
    const base = reached.subarray(from, to).includes(1) ? `${root}/` : '';
    const excluded = DockerIgnore.parse(source.exclude.join('\n'));
    for (let i = 0; i < included.length; i++) if (reached[i] && excluded.includes(included[i]!.path.slice(base.length))) chosen[i] = 1;
  }
  return { files: included.filter((_, i) => chosen[i] === 1), missing };
}

/** Marks what one source reaches; false when it names something that is not there. */
function markReached(index: ContextIndex, source: SourceRef, marks: Uint8Array): boolean {
  const { all, ignore, included } = index;
  const path = cleanSourcePath(source.pattern);
  if (path === '.') {
    marks.fill(1);
    return true;
  }
  if (hasGlobMeta(path)) {
    const re = goMatchRegExp(path);
    if (!re) return true;
    for (let i = 0; i < included.length; i++) if (re.test(included[i]!.path)) marks[i] = 1;
    for (const d of dirsOf(index)) {
      if (!re.test(d)) continue;
      const [from, to] = rangeOf(included, d);
      marks.fill(1, from, to);
    }
    return true;
  }
  const at = lowerBoundOf(included, path);
  if (included[at]?.path === path) {
    marks[at] = 1;
    return true;
  }
  const [from, to] = rangeOf(included, path);
  if (to > from) {
    marks.fill(1, from, to);
    return true;
  }
  return isEmptyButPresentDir(all, ignore, path);
}

/** A directory whose files are all ignored still exists (empty) when the directory itself is not ignored. */
function isEmptyButPresentDir(all: readonly ContextFile[], ignore: DockerIgnore, dir: string): boolean {
  const prefix = `${dir}/`;
  return all.some((f) => f.path.startsWith(prefix)) && ignore.dirExists(dir);
}

/** Whether a single context path (existing or not) would be reached by one of the sources. */
export function sourcesReach(path: string, ignore: DockerIgnore, sources: readonly SourceRef[]): boolean {
  if (!ignore.includes(path)) return false;
  const parents: string[] = [];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) parents.push(path.slice(0, i));
  return sources.some((source) => {
    const pattern = cleanSourcePath(source.pattern);
    if (pattern === '.') return true;
    if (hasGlobMeta(pattern)) {
      const re = goMatchRegExp(pattern);
      return !!re && (re.test(path) || parents.some((d) => re.test(d)));
    }
    return path === pattern || path.startsWith(`${pattern}/`);
  });
}
