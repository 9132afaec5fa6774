// The digest's file set: context files (after .dockerignore) that a COPY/ADD source or a
// RUN --mount=type=bind source reaches, matched the way BuildKit resolves them.
import { posix } from 'node:path';
import type { SourceRef } from '../dockerfile/analyze.js';
import { DockerIgnore } from './dockerignore.js';
import { goMatchRegExp, hasGlobMeta } from './gomatch.js';

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

/** The context after .dockerignore, indexed once for all of an image's sources. */
interface ContextIndex {
  all: readonly ContextFile[];
  ignore: DockerIgnore;
  included: readonly ContextFile[];
  dirs: Set<string>;
  /** Exact-path lookups: a scan for the first few, an index once there are many. */
  lookups: number;
  byPath?: Map<string, ContextFile>;
}

function fileAt(index: ContextIndex, path: string): ContextFile | undefined {
  if (!index.byPath && ++index.lookups > 8) index.byPath = new Map(index.included.map((f) => [f.path, f]));
  return index.byPath ? index.byPath.get(path) : index.included.find((f) => f.path === path);
}

function indexContext(all: readonly ContextFile[], ignore: DockerIgnore): ContextIndex {
  const included = ignore.isEmpty ? all : all.filter((f) => ignore.includes(f.path));
  const dirs = new Set<string>();
  // Files of one directory usually come together (Git lists paths sorted): its parents are
  // added once per run of files, not once per file.
  let last = '';
  for (const f of included) {
    const end = f.path.lastIndexOf('/');
    if (end < 0 || (end === last.length && f.path.startsWith(last))) continue;
    last = f.path.slice(0, end);
    for (let i = last.indexOf('/'); i >= 0; i = last.indexOf('/', i + 1)) dirs.add(last.slice(0, i));
    dirs.add(last);
  }
  return { all, ignore, included, dirs, lookups: 0 };
}

export function selectContextFiles(all: readonly ContextFile[], ignore: DockerIgnore, sources: readonly SourceRef[]): Selection {
  // Every file is one object of the context (one per path): a set of them deduplicates, and
  // one sort at the end orders what every source reached.
  const chosen = new Set<ContextFile>();
  const missing: SourceRef[] = [];
  const index = indexContext(all, ignore);
  for (const source of sources) {
    const one = selectForSource(index, source);
    missing.push(...one.missing);
    for (const f of one.files) chosen.add(f);
  }
  const files = [...chosen].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, missing };
}

/** The files one COPY/ADD source copies: what it reaches, less its --exclude patterns. */
function selectForSource(index: ContextIndex, source: SourceRef): Selection {
  const reached = selectReached(index, [source]);
  if (!source.exclude?.length) return reached;
  // BuildKit matches --exclude below the source: relative to the copied directory (or the context).
  const root = cleanSourcePath(source.pattern);
  const base = root === '.' || hasGlobMeta(root) || !reached.files.some((f) => f.path.startsWith(`${root}/`)) ? '' : `${root}/`;
  const excluded = DockerIgnore.parse(source.exclude.join('\n'));
  return { files: reached.files.filter((f) => excluded.includes(f.path.slice(base.length))), missing: reached.missing };
}

/** What the sources reach, unordered (the caller sorts). */
function selectReached(index: ContextIndex, sources: readonly SourceRef[]): Selection {
  const { all, ignore, included, dirs } = index;
  const chosen = new Set<ContextFile>();
  const addUnder = (dir: string): void => {
    const prefix = `${dir}/`;
    for (const f of included) if (f.path.startsWith(prefix)) chosen.add(f);
  };
  const missing: SourceRef[] = [];
  let file: ContextFile | undefined;
  for (const source of sources) {
    const path = cleanSourcePath(source.pattern);
    if (path === '.') {
      for (const f of included) chosen.add(f);
    } else if (hasGlobMeta(path)) {
      const re = goMatchRegExp(path);
      if (!re) continue;
      for (const f of included) if (re.test(f.path)) chosen.add(f);
      for (const d of dirs) if (re.test(d)) addUnder(d);
    } else if ((file = fileAt(index, path))) {
      chosen.add(file);
    } else if (dirs.has(path)) {
      addUnder(path);
    } else if (!isEmptyButPresentDir(all, ignore, path)) {
      missing.push(source);
    }
  }
  return { files: [...chosen], missing };
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
