// Sprig's math and type helpers. Integer math converts as spf13/cast does (floats truncate,
// strings parse with Go's base prefixes, anything else is 0) and never fails, except a division
// by zero. JavaScript has one number type: kindOf says `int` for integral numbers, `float64`
// otherwise (Helm says float64 for every number from a values file).
import { str } from './args.js';
import { HelperTypeError, isMap, typeName } from './format.js';

/** cast.ToInt64. */
export function toInt(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return 0;
  let s = v.trim() === v ? v : '';
  s = s.replace(/\.0*$/, '').replace(/_/g, '');
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9]\d*|0)$/.exec(s);
  if (!m) return 0;
  const body = m[2]!;
  const n = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : /^0[bB]/.test(body) ? parseInt(body.slice(2), 2) : /^0[oO]?[0-7]/.test(body) && body !== '0' ? parseInt(body.replace(/^0[oO]?/, ''), 8) : parseInt(body, 10);
  return m[1] === '-' ? -n : n;
}

function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return 0;
}

const divisor = (b: unknown) => {
  const d = toInt(b);
  if (d === 0) throw new HelperTypeError('integer divide by zero');
  return d;
};

const kind = (v: unknown): string =>
  v === undefined || v === null ? 'invalid' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float64') : Array.isArray(v) ? 'slice' : isMap(v) ? 'map' : 'struct';

export const numberHelpers = {
  add: (...vs: unknown[]) => vs.reduce<number>((sum, v) => sum + toInt(v), 0),
  sub: (a: unknown, b: unknown) => toInt(a) - toInt(b),
  mul: (...vs: unknown[]) => vs.reduce<number>((p, v) => p * toInt(v), 1),
  div: (a: unknown, b: unknown) => Math.trunc(toInt(a) / divisor(b)),
  mod: (a: unknown, b: unknown) => toInt(a) % divisor(b),
  max: (a: unknown, ...vs: unknown[]) => Math.max(toInt(a), ...vs.map(toInt)),
  min: (a: unknown, ...vs: unknown[]) => Math.min(toInt(a), ...vs.map(toInt)),
  int: (v: unknown) => toInt(v),
  int64: (v: unknown) => toInt(v),
  float64: (v: unknown) => toFloat(v),
  atoi: (s: unknown) => (/^[+-]?\d+$/.test(str(s)) ? parseInt(str(s), 10) : 0),
  kindOf: (v: unknown) => kind(v),
  kindIs: (k: unknown, v: unknown) => kind(v) === str(k),
  typeOf: (v: unknown) => typeName(v),
  typeIs: (t: unknown, v: unknown) => typeName(v) === str(t),
};
