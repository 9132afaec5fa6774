// Go's regexp for the regex helpers: RE2 (re2js, a port of it), not JavaScript's RegExp. Same syntax
// as Helm (`(?i)`, `(?P<name>…)`, `\pL`, `[[:alpha:]]`; no lookaround or backreferences) and linear
// time: a backtracking engine takes minutes on `(a+)+$` against 35 characters. Loaded on the first
// call (~17 ms): renders that use no regex helper never pay for it.
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

type Engine = typeof RE2JS;
let engine: Engine | undefined;

function re2(): Engine {
  // The package itself, resolved from here: the CLI's script runs with the launcher's require.
  engine ??= (createRequire(import.meta.url)('re2js') as { RE2JS: Engine }).RE2JS;
  return engine;
}

/** A compiled Go pattern, or the error Go's regexp.Compile gives for it. */
export function goRegExp(pattern: string): RE2JS | Error {
  try {
    return re2().compile(pattern);
  } catch (err) {
    return err as Error;
  }
}

/** regexp.MatchString: the pattern matches somewhere in `s`. */
export function goMatch(pattern: RE2JS, s: string): boolean {
  return pattern.matcher(s).find();
}

/**
 * regexp.ReplaceAllString: each non-overlapping match replaced by `template` expanded as Go's
 * Regexp.Expand does (`$1`, `${1}`, `$name`, `${name}`; `$1W` names the group `1W`, empty when
 * absent; `$$` is a dollar). An empty match right after a match is not replaced, as in Go.
 */
export function goReplaceAll(pattern: RE2JS, s: string, template: string): string {
  const m = pattern.matcher(s);
  let out = '';
  let lastEnd = 0;
  let searchAt = 0;
  while (searchAt <= s.length && m.find(searchAt)) {
    const [start, end] = [m.start(), m.end()];
    out += s.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += expand(template, m);
    lastEnd = end;
    // Always advance at least one character (a code point, as Go advances one rune).
    const width = s.codePointAt(searchAt)! > 0xffff ? 2 : 1;
    searchAt = searchAt + width > end ? searchAt + width : end;
  }
  return out + s.slice(lastEnd);
}

function expand(template: string, m: ReturnType<RE2JS['matcher']>): string {
  const named = m.getNamedGroups();
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, whole: string, braced?: string, bare?: string) => {
    if (whole === '$') return '$';
    const name = braced ?? bare!;
    if (/^\d+$/.test(name)) return Number(name) <= m.groupCount() ? (m.group(Number(name)) ?? '') : '';
    return Object.prototype.hasOwnProperty.call(named, name) ? (named[name] ?? '') : '';
  });
}
