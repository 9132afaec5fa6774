// .dockerignore with Docker's own rules (moby/patternmatcher + BuildKit's fsutil walker), see
// research/docker-context.md: patterns anchored at the root, a match on a directory excludes what
// lies below, the last matching pattern wins, and an excluded directory is only entered when an
// exception pattern's literal text starts with that directory.
import { posix } from 'node:path';

interface Pattern {
  exclusion: boolean;
  text: string;
  re: RegExp;
}

interface DirInfo {
  /** Whether the walker enters this directory (all its parents having been entered). */
  walked: boolean;
  /** Per pattern: does it match this directory or one of its parents? */
  matched: boolean[];
}

export class DockerIgnore {
  private readonly patterns: Pattern[];
  /** Memoised per directory, as BuildKit passes parent results down its walk. */
  private readonly dirs = new Map<string, DirInfo>();
  private readonly root: DirInfo;

  constructor(patternLines: string[]) {
    this.patterns = patternLines.flatMap((line) => {
      const exclusion = line.startsWith('!');
      const text = cleanPattern(exclusion ? line.slice(1) : line);
      if (text === '') return [];
      return [{ exclusion, text, re: compilePattern(text) }];
    });
    this.root = { walked: true, matched: this.patterns.map(() => false) };
  }

  static parse(content: string): DockerIgnore {
    return new DockerIgnore(parseIgnoreFile(content));
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /** Pattern matching alone: does the last pattern that matches the path or a parent exclude it? */
  matches(path: string): boolean {
    return this.decide(this.parentInfo(path).matched, path);
  }

  /** Whether a file reaches the build context, walker semantics included. */
  includes(path: string): boolean {
    if (this.patterns.length === 0) return true;
    const parent = this.parentInfo(path);
    return parent.walked && !this.decide(parent.matched, path);
  }

  /** An excluded directory (not entered) does not exist in the context. */
  dirExists(dir: string): boolean {
    if (this.patterns.length === 0) return true;
    return this.parentInfo(dir).walked && !this.matches(dir);
  }

  private decide(parentMatched: boolean[], path: string): boolean {
    let excluded = false;
    this.patterns.forEach((p, i) => {
      if (p.exclusion !== excluded) return;
      if (parentMatched[i] || p.re.test(path)) excluded = !p.exclusion;
    });
    return excluded;
  }

  private parentInfo(path: string): DirInfo {
    const slash = path.lastIndexOf('/');
    return slash < 0 ? this.root : this.dirInfo(path.slice(0, slash));
  }

  private dirInfo(dir: string): DirInfo {
    let info = this.dirs.get(dir);
    if (info) return info;
    const parent = this.parentInfo(dir);
    const matched = this.patterns.map((p, i) => parent.matched[i]! || p.re.test(dir));
    let walked = parent.walked;
    if (walked && this.decide(parent.matched, dir)) {
      // An excluded directory is entered only if an exception pattern's text starts with it.
      const prefix = `${dir}/`;
      walked = this.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(prefix));
    }
    info = { walked, matched };
    this.dirs.set(dir, info);
    return info;
  }
}

/** ignorefile.ReadAll: BOM and CR stripped, `#` comments only in column 0, spaces trimmed, `/x` -> `x`. */
export function parseIgnoreFile(content: string): string[] {
  const out: string[] = [];
  for (const raw of content.replace(/^\uFEFF/, '').split('\n')) {
    const line0 = raw.replace(/\r$/, '');
    if (line0.startsWith('#')) continue;
    let line = line0.trim();
    if (line === '') continue;
    const invert = line.startsWith('!');
    if (invert) line = line.slice(1).trim();
    if (line !== '') {
      line = posix.normalize(line);
      if (line.length > 1 && line.endsWith('/')) line = line.slice(0, -1);
      if (line.length > 1 && line.startsWith('/')) line = line.slice(1);
    }
    out.push(invert ? `!${line}` : line);
  }
  return out;
}

function cleanPattern(text: string): string {
  if (text === '') return '';
  let p = posix.normalize(text);
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

/** patternmatcher's regexp translation: `**` spans directories, `*`/`?` do not, `\` escapes. */
function compilePattern(pattern: string): RegExp {
  let re = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        re += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      re += i + 1 < chars.length ? escapeLiteral(chars[++i]!) : '\\\\';
    } else if ('.+()|{}$'.includes(ch)) re += `\\${ch}`;
    else re += ch; // as patternmatcher: `[`, `]` and `^` reach the regexp as they are
  }
  try {
    return new RegExp(`${re}$`, 's');
  } catch {
    return /$^/; // a malformed pattern matches nothing
  }
}

function escapeLiteral(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}
