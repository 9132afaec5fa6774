// Field validation (KEP-2885) as the API server's strict decoder does it: unknown fields (not in
// the schema) and duplicate fields (a key twice in one JSON object), reported as
// sigs.k8s.io/json writes them (`unknown field "spec.template.spec.containers[0].bogus"`), with
// `fieldValidation=Strict` failing the request, `Warn` (the server default) adding Warning
// headers, `Ignore` saying nothing. Unknown fields never reach storage: typed decoding drops them.
import { childType, isObject, itemType, setOwn, type TypeNode } from './schema.js';
import { ApiError, badRequest } from './status.js';
import type { Obj } from './store.js';

export type Directive = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidation(query: URLSearchParams): Directive {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation: Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"`);
}

/** Paths of fields the schema does not declare, in decoding order. */
export function unknownFields(value: unknown, type: TypeNode, prefix = '', out: string[] = []): string[] {
  if (Array.isArray(value)) {
    if (type.kind === 'list') value.forEach((item, i) => unknownFields(item, itemType(type), `${prefix}[${i}]`, out));
    return out;
  }
  if (!isObject(value) || type.kind === 'untyped' || type.kind === 'scalar') return out;
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    const child = childType(type, k);
    if (!child) out.push(path);
    else unknownFields(v, child, path, out);
  }
  return out;
}

/** The value without undeclared fields, as a typed decode leaves it. */
export function prune(value: unknown, type: TypeNode): unknown {
  if (Array.isArray(value)) return type.kind === 'list' ? value.map((item) => prune(item, itemType(type))) : value;
  if (!isObject(value) || type.kind === 'untyped' || type.kind === 'scalar') return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) {
    const child = childType(type, k);
    if (child) setOwn(out, k, prune(v, child));
  }
  return out;
}

/** Keys given twice in one object of a JSON text, as paths (`spec.replicas`). */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      for (ws(); text[i] !== '}' && i < text.length; ws()) {
        const key = string();
        const child = path ? `${path}.${key}` : key;
        if (seen.has(key)) out.push(child);
        seen.add(key);
        ws();
        i++; // ':'
        value(child);
        ws();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '[') {
      i++;
      for (let n = 0; (ws(), text[i] !== ']') && i < text.length; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '"') string();
    else while (i < text.length && !',}] \t\r\n'.includes(text[i]!)) i++;
  };
  value('');
  return out;
}

export interface Decoded {
  /** The object with undeclared fields dropped. */
  object: Obj;
  /** Warning texts for the response (Warn). */
  warnings: string[];
}

/** Strict-decodes a create or update body: 400 under Strict (transformDecodeError), warnings under Warn. */
export function decodeStrictly(object: Obj, text: string | undefined, type: TypeNode, directive: Directive, kind: string, version: string): Decoded {
  const problems = directive === 'Ignore' ? [] : findProblems(object, text, type);
  if (problems.length && directive === 'Strict') {
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${problems.join(', ')}`);
  }
  return { object: prune(object, type) as Obj, warnings: problems };
}

/** A patched object (JSON, merge or strategic patch): 422 under Strict, as patch.go reports it. */
export function checkPatched(object: Obj, type: TypeNode, directive: Directive): Decoded {
  const problems = directive === 'Ignore' ? [] : findProblems(object, undefined, type);
  if (problems.length && directive === 'Strict') {
    const detail = `strict decoding error: ${problems.join(', ')}`;
    throw new ApiError(422, 'Invalid', ` "" is invalid: patch: Invalid value: ${JSON.stringify(JSON.stringify(object))}: ${detail}`, {
      causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(JSON.stringify(object))}: ${detail}`, field: 'patch' }],
    });
  }
  return { object: prune(object, type) as Obj, warnings: problems };
}

function findProblems(object: Obj, text: string | undefined, type: TypeNode): string[] {
  const duplicates = text !== undefined && text.trimStart().startsWith('{') ? duplicateFields(text) : [];
  return [...unknownFields(object, type).map((p) => `unknown field ${JSON.stringify(p)}`), ...duplicates.map((p) => `duplicate field ${JSON.stringify(p)}`)];
}

/** The text of the key that starts at `at` (the parser points at its first character only). */
export function keyAt(text: string, at: number): string {
  const quote = text[at];
  if (quote === '"' || quote === "'") {
    let end = at + 1;
    while (end < text.length) {
      if (quote === '"' && text[end] === '\\') end += 2;
      else if (quote === "'" && text[end] === "'" && text[end + 1] === "'") end += 2;
      else if (text[end] === quote) break;
      else end++;
    }
    const body = text.slice(at, end + 1);
    try {
      return quote === '"' ? (JSON.parse(body) as string) : body.slice(1, -1).replace(/''/g, "'");
    } catch {
      return body.slice(1, -1);
    }
  }
  // A plain key ends at `: `, a line end, or a flow indicator.
  return /^(?:[^:\n,\]}]|:(?=[^\s,\]}]))*/.exec(text.slice(at))![0].trimEnd();
}
