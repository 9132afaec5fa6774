// Go's filepath.Match (used by BuildKit for COPY/ADD source globs): `*` and `?` never cross `/`,
// `[...]` classes negate with `^` only (`[!a]` is the set {!, a}), `\` escapes, `**` is not recursive.

const cache = new Map<string, RegExp | null>();

export function hasGlobMeta(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Returns null for a malformed pattern, which (like Go's ErrBadPattern) matches nothing. */
export function goMatchRegExp(pattern: string): RegExp | null {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const compiled = compile(pattern);
  cache.set(pattern, compiled);
  return compiled;
}

export function goMatch(pattern: string, name: string): boolean {
  return goMatchRegExp(pattern)?.test(name) ?? false;
}

function compile(pattern: string): RegExp | null {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= pattern.length) return null;
      re += escapeChar(pattern[++i]!);
    } else if (ch === '[') {
      const end = classEnd(pattern, i + 1);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      if (body === '') return null;
      let cls = '';
      for (let j = 0; j < body.length; j++) {
        const c = body[j]!;
        if (c === '\\') {
          if (j + 1 >= body.length) return null;
          cls += escapeChar(body[++j]!);
        } else if (c === '-' && cls !== '' && j + 1 < body.length) cls += '-';
        else cls += escapeChar(c);
      }
      // Go classes never match the separator, even when negated.
      re += negate ? `(?!/)[^${cls}]` : `[${cls}]`;
      i = end;
    } else re += escapeChar(ch);
  }
  try {
    return new RegExp(`${re}$`, 's');
  } catch {
    return null;
  }
}

function classEnd(pattern: string, from: number): number {
  let j = from;
  if (pattern[j] === '^') j++;
  for (; j < pattern.length; j++) {
    if (pattern[j] === '\\') j++;
    else if (pattern[j] === ']' && j > from) return j;
  }
  return -1;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}
