// YAML text for plain data (maps, lists, strings, numbers, booleans, null), byte for byte what the
// yaml library's stringify writes with core/yaml.ts's options (YAML 1.1, no line folding, no
// anchors), without building its document model first: every rendered manifest is written this
// way, and the model cost a render more than the text. It follows yaml 2.x's stringify
// (stringifyDocument, stringifyCollection, stringifyPair, stringifyString, stringifyNumber) for
// that subset only. Anything else (multi-line strings, which take block style; Dates; undefined;
// other objects; `<<`; keys past 1024 characters; a top-level string) returns undefined, and the
// library writes it. yaml-emit.test.ts compares the two on generated data.

/** True when a plain scalar would read back as another type than a string (the schema's tags decide). */
export type TypedScalarTest = (plain: string) => boolean;

const STEP = '  ';
// stringifyString's plainString: what a plain scalar may not look like.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// Control characters and lone surrogates force double quotes.
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

const UNSUPPORTED = Symbol('unsupported');

/** The YAML for `value`, or undefined when it is outside the subset written here. */
export function emitYaml(value: unknown, typed: TypedScalarTest): string | undefined {
  if (typeof value === 'string') return undefined; // a top-level string may take block style
  try {
    return `${node(value, '', typed)}\n`;
  } catch (err) {
    // Nesting deep enough to exhaust the stack: whatever the library makes of it, as before.
    if (err === UNSUPPORTED || err instanceof RangeError) return undefined;
    throw err;
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A value where a node goes: a document's contents, a pair's value or a list item. */
function node(value: unknown, indent: string, typed: TypedScalarTest): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return numberText(value);
    case 'string':
      return scalar(value, indent, false, typed);
    case 'object':
      if (Array.isArray(value)) return list(value, indent, typed);
      if (isPlainObject(value)) return map(value, indent, typed);
  }
  throw UNSUPPORTED;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

/** A block collection's lines: the first as is, the others after a newline and the collection's indent. */
function joinLines(lines: string[], indent: string): string {
  let text = lines[0]!;
  for (let i = 1; i < lines.length; i++) text += `\n${indent}${lines[i]!}`;
  return text;
}

function list(items: unknown[], indent: string, typed: TypedScalarTest): string {
  if (items.length === 0) return '[]';
  const itemIndent = indent + STEP;
  const lines: string[] = [];
  for (let i = 0; i < items.length; i++) {
    if (!(i in items) || items[i] === undefined) throw UNSUPPORTED;
    lines.push(`- ${node(items[i], itemIndent, typed)}`);
  }
  return joinLines(lines, indent);
}

function map(object: Record<string, unknown>, indent: string, typed: TypedScalarTest): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return '{}';
  const lines: string[] = [];
  for (const key of keys) lines.push(pair(key, object[key], indent, typed));
  return joinLines(lines, indent);
}

function pair(key: string, value: unknown, indent: string, typed: TypedScalarTest): string {
  if (value === undefined) throw UNSUPPORTED;
  const inner = indent + STEP;
  const keyText = scalar(key, inner, true, typed);
  if (keyText.length > 1024) throw UNSUPPORTED; // an explicit key (`? `)
  const valueText = node(value, inner, typed);
  // A non-empty collection starts on the next line; an empty one (`{}`, `[]`) stays on this one.
  const nested = typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
  return `${keyText}:${nested ? `\n${inner}` : ' '}${valueText}`;
}

function scalar(value: string, indent: string, implicitKey: boolean, typed: TypedScalarTest): string {
  // Line breaks take block style or folded quotes; `<<` is YAML 1.1's merge key.
  if (value.includes('\n') || value === '<<') throw UNSUPPORTED;
  if (FORCE_DOUBLE.test(value)) return doubleQuoted(value);
  if (NOT_PLAIN.test(value)) return quoted(value);
  if (DOCUMENT_MARKER.test(value)) {
    if (indent === '') throw UNSUPPORTED; // block style
    if (implicitKey && indent === STEP) return quoted(value);
  }
  return typed(value) ? quoted(value) : value;
}

function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") ? `'${value.replace(/'/g, "''")}'` : doubleQuoted(value);
}

/** JSON's string, with YAML's short escapes where JSON writes \u00XX (no line breaks reach here). */
function doubleQuoted(value: string): string {
  const json = JSON.stringify(value);
  let text = '';
  let start = 0;
  for (let i = 0; i < json.length; i++) {
    if (json[i] !== '\\') continue;
    if (json[i + 1] !== 'u') {
      i++;
      continue;
    }
    text += json.slice(start, i);
    const code = json.substr(i + 2, 4);
    text += SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.slice(2)}` : json.substr(i, 6));
    i += 5;
    start = i + 1;
  }
  return start ? text + json.slice(start) : json;
}

const SHORT_ESCAPES: Record<string, string> = { __proto__: null as never, '0000': '\\0', '0007': '\\a', '000b': '\\v', '001b': '\\e', '0085': '\\N', '00a0': '\\_', '2028': '\\L', '2029': '\\P' };
