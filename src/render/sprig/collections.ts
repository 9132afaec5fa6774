// Sprig's list and dict helpers. Results are new values: inputs are never changed (Sprig's merge
// mutates its first argument; here `merge` returns a new map, as `merge (dict) a b` would).
import { deepEqual } from '../../core/deep-equal.js';
import { checkListLength, int, list, map, newMap } from './args.js';
import { goString, HelperTypeError, isMap } from './format.js';
import { isEmpty } from './truth.js';

function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (isMap(v)) {
    const out = newMap();
    for (const [k, x] of Object.entries(v)) out[k] = copy(x);
    return out;
  }
  return v;
}

/** mergo semantics: deep for maps; `overwrite` false keeps dst unless dst is empty. */
function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean): void {
  for (const [k, v] of Object.entries(src)) {
    const has = Object.prototype.hasOwnProperty.call(dst, k);
    if (has && isMap(dst[k]) && isMap(v)) mergeInto(dst[k] as Record<string, unknown>, v, overwrite);
    else if (!has || (overwrite ? v !== undefined : isEmpty(dst[k]))) dst[k] = copy(v);
  }
}

export const collectionHelpers = {
  list: (...vs: unknown[]) => [...vs],
  first: (l: unknown) => list(l, 'first')[0] ?? null,
  last: (l: unknown) => list(l, 'last').at(-1) ?? null,
  rest: (l: unknown) => list(l, 'rest').slice(1),
  has: (needle: unknown, l: unknown) => (l === undefined || l === null ? false : list(l, 'has').some((v) => deepEqual(v, needle))),
  uniq: (l: unknown) => list(l, 'uniq').filter((v, i, all) => all.findIndex((w) => deepEqual(v, w)) === i),
  sortAlpha: (l: unknown) => {
    const items = Array.isArray(l) ? l : [l];
    return items.filter((v) => v !== undefined && v !== null).map(goString).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  },
  compact: (l: unknown) => list(l, 'compact').filter((v) => !isEmpty(v)),
  concat: (...ls: unknown[]) => ls.flatMap((l) => {
    if (!Array.isArray(l)) throw new HelperTypeError(`cannot concat type ${typeof l} as list`);
    return l;
  }),
  until: (n: unknown) => {
    const k = int(n);
    return Array.from({ length: checkListLength(Math.abs(k)) }, (_, i) => (k < 0 ? -i : i));
  },
  dict: (...kv: unknown[]) => {
    const out = newMap();
    for (let i = 0; i < kv.length; i += 2) out[goString(kv[i])] = i + 1 < kv.length ? kv[i + 1] : '';
    return out;
  },
  get: (m: unknown, key: unknown) => {
    const d = map(m, 'get');
    const k = goString(key);
    return Object.prototype.hasOwnProperty.call(d, k) ? d[k] : '';
  },
  /** Sorted (Go's map order is random; a deterministic renderer sorts). */
  keys: (...ms: unknown[]) => ms.flatMap((m) => Object.keys(map(m, 'keys'))).sort(),
  /** In key order, for the same reason. */
  values: (m: unknown) => {
    const d = map(m, 'values');
    return Object.keys(d).sort().map((k) => d[k]);
  },
  pick: (m: unknown, ...keys: unknown[]) => {
    const d = map(m, 'pick');
    const out = newMap();
    for (const k of keys.map(goString)) if (Object.prototype.hasOwnProperty.call(d, k)) out[k] = d[k];
    return out;
  },
  omit: (m: unknown, ...keys: unknown[]) => {
    const drop = new Set(keys.map(goString));
    const out = newMap();
    for (const [k, v] of Object.entries(map(m, 'omit'))) if (!drop.has(k)) out[k] = v;
    return out;
  },
  merge: (dst: unknown, ...srcs: unknown[]) => {
    const out = copy(map(dst, 'merge')) as Record<string, unknown>;
    for (const s of srcs) mergeInto(out, map(s, 'merge'), false);
    return out;
  },
  mergeOverwrite: (dst: unknown, ...srcs: unknown[]) => {
    const out = copy(map(dst, 'mergeOverwrite')) as Record<string, unknown>;
    for (const s of srcs) mergeInto(out, map(s, 'mergeOverwrite'), true);
    return out;
  },
};
