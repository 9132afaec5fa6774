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

export class DockerIgnore {
  private readonly patterns: Pattern[];
  private readonly dirDecision = new Map<string, boolean>();

  constructor(patternLines: string[]) {
    this.patterns = patternLines.flatMap((line) => {
      const exclusion = line.startsWith('!');
      const text = cleanPattern(exclusion ? line.slice(1) : line);
      if (text === '') return [];
      return [{ exclusion, text, re: compilePattern(text) }];
    });
  }

  static parse(content: string): DockerIgnore {
    return new DockerIgnore(parseIgnoreFile(content));
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  /** Pattern matching alone: does the last pattern that matches the path or a parent exclude it? */
  matches(path: string): boolean {
    const parents = parentDirs(path);
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      if (p.re.test(path) || parents.some((d) => p.re.test(d))) matched = !p.exclusion;
    }
    return matched;
  }

  /** Whether a file reaches the build context, walker semantics included. */
  includes(path: string): boolean {
    if (this.patterns.length === 0) return true;
    const parents = parentDirs(path);
    for (const dir of parents) if (!this.walksInto(dir)) return false;
    return !this.matches(path);
  }

  /** Whether the walker enters a directory (all its parents having been entered). */
  private walksInto(dir: string): boolean {
    let decision = this.dirDecision.get(dir);
    if (decision === undefined) {
      const prefix = `${dir}/`;
      decision = !this.matches(dir) || this.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(prefix));
      this.dirDecision.set(dir, decision);
    }
    return decision;
  }

  /** An excluded directory (not entered) does not exist in the context. */
  dirExists(dir: string): boolean {
    if (this.patterns.length === 0) return true;
    for (const d of [...parentDirs(dir), dir]) if (!this.walksInto(d)) return false;
    return !this.matches(dir);
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

function parentDirs(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
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
    } else if (ch === '[' || ch === ']') re += ch;
    else re += escapeLiteral(ch);
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
