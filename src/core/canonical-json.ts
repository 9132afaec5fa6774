// RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code units, no whitespace,
// strings and numbers serialised as ECMAScript's JSON.stringify does (which the RFC adopts).

/** Text already in canonical form (e.g. JSON.stringify of strings), written as it is. */
export class CanonicalText {
  constructor(readonly json: string) {}
}

export function canonicalJson(value: unknown): string {
  if (value instanceof CanonicalText) return value.json;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold NaN or Infinity');
    return JSON.stringify(value);
  }
  // Lists of strings (and of such lists: a digest's file entries) serialise exactly as
  // JSON.stringify writes them; one native call instead of one call per string.
  if (Array.isArray(value) && value.every(isStrings)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

function isStrings(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}
