// Values precedence (SPEC section 7): values.yaml < values.<env>.yaml < --values files < --set.
// Maps merge deeply; lists and scalars replace; null deletes a key (as in Helm).

// Value trees have no prototype, and the keys that reach one are refused wherever users write keys.

export type Values = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys that would reach or replace a prototype: never valid in a values path (SPEC section 7). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first forbidden key in a tree, or null. */
export function findForbiddenKey(tree: unknown, path: string[] = []): string | null {
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      const found = findForbiddenKey(tree[i], [...path, `[${i}]`]);
      if (found) return found;
    }
  } else if (isPlainObject(tree)) {
    for (const key of Object.keys(tree)) {
      if (FORBIDDEN_KEYS.has(key)) return [...path, key].join('.').replace(/\.\[/g, '[');
      const found = findForbiddenKey(tree[key], [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** A deep copy whose maps have no prototype. */
export function cloneValues<T>(tree: T): T {
  if (Array.isArray(tree)) return tree.map(cloneValues) as T;
  if (!isPlainObject(tree)) return tree;
  const out: Values = Object.create(null);
  for (const key of Object.keys(tree)) if (!FORBIDDEN_KEYS.has(key)) out[key] = cloneValues(tree[key]);
  return out as T;
}

export function mergeValues(base: Values, override: Values): Values {
  const out: Values = cloneValues(base);
  for (const key of Object.keys(override)) {
    if (FORBIDDEN_KEYS.has(key)) continue; // refused with a location by the loaders; never merged
    const value = override[key];
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = mergeValues(out[key] as Values, value);
    else out[key] = cloneValues(value);
  }
  return out;
}

export class SetSyntaxError extends Error {}

/** `--set a.b[0].c=v,x=y`: Helm's strvals syntax; `\,` `\.` `\=` escape; true/false/null/ints typed. */
export function applySet(values: Values, expression: string): Values {
  if (/(^|[^\\])(\\\\)*\\$/.test(expression)) throw new SetSyntaxError(`--set "${expression}": a trailing backslash escapes nothing`);
  const out = cloneValues(values);
  for (const assignment of splitUnescaped(expression, ',')) {
    const eq = indexOfUnescaped(assignment, '=');
    if (eq <= 0) throw new SetSyntaxError(`--set "${expression}": expected path=value`);
    const path = parsePath(assignment.slice(0, eq), expression);
    setPath(out, path, typedValue(unescape(assignment.slice(eq + 1))));
  }
  return out;
}

function typedValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^-?(0|[1-9][0-9]{0,15})$/.test(raw)) return Number(raw);
  return raw;
}

/** strvals' MaxIndex. */
const MAX_INDEX = 65536;

function parsePath(text: string, expression: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const segment of splitUnescaped(text, '.')) {
    const m = /^((?:\\.|[^[\\])*)((?:\[\d+\])*)$/.exec(segment);
    if (!m || (m[1] === '' && (path.length === 0 || m[2] === ''))) throw new SetSyntaxError(`--set "${expression}": bad path "${text}"`);
    if (m[1] !== '') path.push(unescape(m[1]!));
    const key = path.at(-1);
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) throw new SetSyntaxError(`--set "${expression}": "${key}" is not allowed as a key`);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) {
      // Helm's limit: a list that long would be all nulls, and costs memory in every step after.
      if (Number(idx[1]) > MAX_INDEX) throw new SetSyntaxError(`--set "${expression}": index of ${idx[1]} is greater than maximum supported index value of ${MAX_INDEX}`);
      path.push(Number(idx[1]));
    }
  }
  return path;
}

function setPath(root: Values, path: (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = root;
  path.forEach((key, i) => {
    const last = i === path.length - 1;
    if (last) {
      if (value === null && !Array.isArray(node)) delete node[key];
      else node[key] = value;
      return;
    }
    const wantArray = typeof path[i + 1] === 'number';
    const existing = node[key];
    if (wantArray ? !Array.isArray(existing) : !isPlainObject(existing)) node[key] = wantArray ? [] : Object.create(null);
    node = node[key] as Record<string | number, unknown>;
  });
}

function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      current += text[i]! + text[i + 1]!;
      i++;
    } else if (text[i] === sep) {
      parts.push(current);
      current = '';
    } else current += text[i];
  }
  parts.push(current);
  return parts;
}

function indexOfUnescaped(text: string, ch: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ch) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
