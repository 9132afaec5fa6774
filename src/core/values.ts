// Values precedence (SPEC section 7): values.yaml < values.<env>.yaml < --values files < --set.
// Maps merge deeply; lists and scalars replace; null deletes a key (as in Helm).

export type Values = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = mergeValues(out[key] as Values, value);
    else out[key] = value;
  }
  return out;
}

export class SetSyntaxError extends Error {}

/** `--set a.b[0].c=v,x=y`: Helm's strvals syntax; `\,` `\.` `\=` escape; true/false/null/ints typed. */
export function applySet(values: Values, expression: string): Values {
  const out = structuredClone(values);
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

function parsePath(text: string, expression: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const segment of splitUnescaped(text, '.')) {
    const m = /^((?:\\.|[^[\\])*)((?:\[\d+\])*)$/.exec(segment);
    if (!m || (m[1] === '' && (path.length === 0 || m[2] === ''))) throw new SetSyntaxError(`--set "${expression}": bad path "${text}"`);
    if (m[1] !== '') path.push(unescape(m[1]!));
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
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
    if (wantArray ? !Array.isArray(existing) : !isPlainObject(existing)) node[key] = wantArray ? [] : {};
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
