// Helm's one notion of emptiness (Go's isTrue, Sprig's empty): nil, false, 0, "", and empty
// lists and maps are false; everything else is true ("0" and "false" are non-empty strings).
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
