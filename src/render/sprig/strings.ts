// Sprig's string helpers, in Helm's argument order (the piped value last).
import { checkListLength, int, MAX_LIST_LENGTH, str } from './args.js';
import { goQuote, goString, HelperTypeError, sprint, sprintf } from './format.js';
import { goMatch, goRegExp, goReplaceAll } from './regexp.js';

const words = (s: string): string[] => s.match(/[A-Z]+(?=[A-Z][a-z]|\d|\b|_|-|\s)|[A-Z]?[a-z]+|[A-Z]+|\d+/g) ?? [];

/** xstrings' ToPascalCase: `_` separated words upper-cased first, leading/trailing `_` kept, `__` -> `_`. */
function camelcase(s: string): string {
  const lead = /^_*/.exec(s)![0] ? '_' : '';
  const trail = /_+$/.test(s) && s.replace(/_/g, '') !== '' ? '_' : '';
  const inner = s.replace(/^_+|_+$/g, '');
  const parts = inner.split(/_+/).filter(Boolean);
  return lead + parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join(inner.includes('__') ? '_' : '') + trail;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

export const stringHelpers = {
  printf: (format: unknown, ...args: unknown[]) => sprintf(str(format), args),
  print: (...args: unknown[]) => sprint(args),
  toString: (v: unknown) => goString(v),
  replace: (old: unknown, replacement: unknown, s: unknown) => str(s).split(str(old)).join(str(replacement)),
  trim: (s: unknown) => str(s).replace(/^[\s\u0085]+|[\s\u0085]+$/g, ''),
  trimAll: (cutset: unknown, s: unknown) => {
    const set = new Set([...str(cutset)]);
    const chars = [...str(s)];
    let a = 0;
    let b = chars.length;
    while (a < b && set.has(chars[a]!)) a++;
    while (b > a && set.has(chars[b - 1]!)) b--;
    return chars.slice(a, b).join('');
  },
  trimPrefix: (prefix: unknown, s: unknown) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s)),
  trimSuffix: (suffix: unknown, s: unknown) => (str(suffix) !== '' && str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : str(s)),
  contains: (sub: unknown, s: unknown) => str(s).includes(str(sub)),
  hasPrefix: (prefix: unknown, s: unknown) => str(s).startsWith(str(prefix)),
  hasSuffix: (suffix: unknown, s: unknown) => str(s).endsWith(str(suffix)),
  upper: (s: unknown) => str(s).toUpperCase(),
  lower: (s: unknown) => str(s).toLowerCase(),
  title: (s: unknown) => str(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase()),
  repeat: (count: unknown, s: unknown) => {
    if (int(count) < 0) throw new HelperTypeError('strings: negative Repeat count');
    return str(s).repeat(int(count));
  },
  substr: (start: unknown, end: unknown, s: unknown) => {
    const b = utf8(str(s));
    const [from, to] = [int(start), int(end)];
    if (from < 0) return b.subarray(0, Math.min(to, b.length)).toString('utf8');
    if (from > b.length || (to >= 0 && to <= b.length && from > to)) throw new HelperTypeError(`slice bounds out of range [${from}:${to}] of "${str(s)}"`);
    return (to < 0 || to > b.length ? b.subarray(from) : b.subarray(from, to)).toString('utf8');
  },
  trunc: (n: unknown, s: unknown) => {
    const b = utf8(str(s));
    const k = int(n);
    if (k >= 0) return b.subarray(0, k).toString('utf8');
    return -k < b.length ? b.subarray(b.length + k).toString('utf8') : str(s);
  },
  nospace: (s: unknown) => str(s).replace(/[\s\u0085]/g, ''),
  kebabcase: (s: unknown) => words(str(s)).map((w) => w.toLowerCase()).join('-'),
  snakecase: (s: unknown) => words(str(s)).map((w) => w.toLowerCase()).join('_'),
  camelcase: (s: unknown) => camelcase(str(s)),
  quote: (...vs: unknown[]) => vs.filter((v) => v !== undefined && v !== null).map((v) => goQuote(goString(v))).join(' '),
  squote: (...vs: unknown[]) => vs.filter((v) => v !== undefined && v !== null).map((v) => `'${goString(v)}'`).join(' '),
  cat: (...vs: unknown[]) => vs.filter((v) => v !== undefined && v !== null).map(goString).join(' '),
  indent: (n: unknown, s: unknown) => indent(int(n), str(s)),
  nindent: (n: unknown, s: unknown) => `\n${indent(int(n), str(s))}`,
  splitList: (sep: unknown, s: unknown) => {
    const [by, text] = [str(sep), str(s)];
    // At most one element more than allowed is made before the list is refused.
    if (by === '' && text.length > 2 * MAX_LIST_LENGTH) checkListLength(text.length);
    const parts = by === '' ? [...text] : text.split(by, MAX_LIST_LENGTH + 1);
    checkListLength(parts.length);
    return parts;
  },
  join: (sep: unknown, l: unknown) => {
    if (l === undefined || l === null) return '';
    const items = Array.isArray(l) ? l : [l];
    return items.filter((v) => v !== undefined && v !== null).map(goString).join(str(sep));
  },
  /** Sprig ignores the compile error: an invalid pattern matches nothing. */
  regexMatch: (re: unknown, s: unknown) => {
    const pattern = goRegExp(str(re));
    return pattern instanceof Error ? false : goMatch(pattern, str(s));
  },
  /** regexp.MustCompile's panic, as Helm reports it, for an invalid pattern. */
  regexReplaceAll: (re: unknown, s: unknown, repl: unknown) => {
    const pattern = goRegExp(str(re));
    if (pattern instanceof Error) throw new HelperTypeError(`regexp: Compile(${goQuote(str(re))}): ${pattern.message}`);
    return goReplaceAll(pattern, str(s), str(repl));
  },
};

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, n));
  return pad + s.replace(/\n/g, `\n${pad}`);
}

