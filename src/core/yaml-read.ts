// YAML as data without the yaml library's document model, for the YAML people and templates
// usually write: block maps and lists, plain and quoted one-line scalars, one-line flow lists,
// `{}`, comments and `---`. The result is what `parseAllDocuments(text, { version, uniqueKeys:
// true })` then `toJS()` give, document for document; plain scalars are resolved by the schema's
// own tags (core/yaml.ts). Anything else (block scalars, anchors, tags, multi-line scalars, tabs,
// duplicate keys, bad indentation, any YAML error) returns undefined, and the library reads the
// text, errors and all. yaml-read.test.ts compares the two.

/** A YAML schema's reading of plain scalars, from the library's own tags (core/yaml.ts). */
export interface ScalarSchema {
  /** True when some tag other than str would read the plain text (so it must be quoted, or is not a string). */
  typed(plain: string): boolean;
  /** The value of a plain scalar; NOT_PLAIN_DATA when it is not a string, number, boolean or null (a date). */
  resolve(plain: string): unknown;
}

export const NOT_PLAIN_DATA = Symbol('not plain data');

interface Line {
  indent: number;
  /** The line after its indentation, trailing spaces removed. */
  text: string;
}

const UNSUPPORTED = Symbol('unsupported');
const fail = (): never => {
  throw UNSUPPORTED;
};

// Tabs, carriage returns, byte order marks and other characters YAML treats specially: the library's.
// YAML 1.1 also breaks lines at NEL, LS and PS; JavaScript's trim would take a no-break space.
const OUTSIDE = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00a0\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/;
const DOCUMENT_START = /^---(?: +(?:#.*)?)?$/;
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const FLOW_PLAIN = /^(?:[A-Za-z0-9_./~+]|-(?! |$))[A-Za-z0-9_./ ~+-]*$/;

/** Each document's value, in the library's order and number of documents; undefined: let the library read it. */
export function readPlainDocuments(text: string, schema: ScalarSchema): unknown[] | undefined {
  if (OUTSIDE.test(text)) return undefined;
  try {
    return new Reader(text, schema).documents();
  } catch (err) {
    // Nesting deep enough to exhaust the stack: whatever the library makes of it, as before.
    if (err === UNSUPPORTED || err instanceof RangeError) return undefined;
    throw err;
  }
}

class Reader {
  private lines: Line[] = [];
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly schema: ScalarSchema,
  ) {}

  documents(): unknown[] {
    // The part before the first `---` is a document only if it has content; each `---` starts one.
    const documents: unknown[] = [];
    let current: Line[] = [];
    let started = false;
    for (const raw of this.text.split('\n')) {
      const text = trimEnd(raw);
      if (raw.startsWith('---') || raw.startsWith('...')) {
        if (!DOCUMENT_START.test(text)) fail();
        if (started || current.length) documents.push(this.document(current));
        current = [];
        started = true;
        continue;
      }
      if (raw.startsWith('%')) fail(); // a directive
      const indent = skipSpaces(text, 0);
      const content = text.slice(indent);
      if (content === '' || content.startsWith('#')) continue;
      current.push({ indent, text: content });
    }
    if (started || current.length) documents.push(this.document(current));
    return documents;
  }

  private document(lines: Line[]): unknown {
    if (lines.length === 0) return null;
    this.lines = lines;
    this.at = 0;
    const value = this.block(lines[0]!.indent);
    if (this.at !== lines.length) fail(); // a line less indented than the root, or left over
    return value;
  }

  /** The map or list whose first line is the current one, at `indent`. */
  private block(indent: number): unknown {
    const line = this.lines[this.at]!;
    if (line.indent !== indent) fail();
    if (isItem(line.text)) return this.list(indent);
    if (this.entry(line.text)) return this.map(indent);
    return fail(); // a scalar where a collection was expected (or a multi-line one)
  }

  private list(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent < indent || (line.indent === indent && !isItem(line.text))) break; // the caller's line
      if (line.indent > indent) fail();
      const rest = line.text.slice(skipSpaces(line.text, 1));
      const column = indent + (line.text.length - rest.length);
      if (rest === '' || rest.startsWith('#')) {
        this.at++;
        items.push(this.nested(indent, false));
      } else if (isItem(rest)) {
        fail(); // `- - x`
      } else if (this.entry(rest)) {
        // `- key: value`: a map whose first entry shares the item's line.
        this.lines[this.at] = { indent: column, text: rest };
        items.push(this.map(column));
      } else {
        this.at++;
        items.push(this.value(rest));
        this.noContinuation(indent);
      }
    }
    return items;
  }

  private map(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    const keys = new Set<string>();
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent < indent) break;
      const entry = line.indent === indent ? this.entry(line.text) : undefined;
      if (!entry) return fail();
      if (keys.has(entry.key)) fail(); // the library's uniqueKeys error
      keys.add(entry.key);
      this.at++;
      let value: unknown;
      if (entry.rest === '' || entry.rest.startsWith('#')) value = this.nested(indent, true);
      else {
        value = this.value(entry.rest);
        this.noContinuation(indent);
      }
      map[entry.key] = value; // an own property, even for an inherited name (`__proto__` never gets here)
    }
    return map;
  }

  /** The value of `key:` or `-` with nothing after it: a deeper block, a list at the key's indent, or null. */
  private nested(indent: number, inMap: boolean): unknown {
    const next = this.lines[this.at];
    if (!next || next.indent < indent) return null;
    if (next.indent > indent) return this.block(next.indent);
    return inMap && isItem(next.text) ? this.list(indent) : null;
  }

  /** A scalar on its own line ends there: a deeper line after it would continue it (or be an error). */
  private noContinuation(indent: number): void {
    const next = this.lines[this.at];
    if (next && next.indent > indent) fail();
  }

  /** `key: rest` or `key:` (a plain key of the usual characters, or a simply quoted one). */
  private entry(text: string): { key: string; rest: string } | undefined {
    let key: string;
    let after: number;
    if (text[0] === '"' || text[0] === "'") {
      const quoted = readQuoted(text, 0);
      if (!quoted || text[quoted.end] !== ':') return undefined;
      key = quoted.value;
      after = quoted.end + 1;
    } else {
      const colon = text.indexOf(':');
      if (colon <= 0) return undefined;
      key = text.slice(0, colon);
      if (!PLAIN_KEY.test(key)) return text.slice(colon).startsWith(': ') || text.endsWith(':') ? fail() : undefined;
      if (this.schema.typed(key)) fail(); // a key that reads as another type (`yes:`, `1:`, `<<:`)
      after = colon + 1;
    }
    if (after < text.length && text[after] !== ' ') {
      if (text[0] === '"' || text[0] === "'") fail();
      return undefined; // `a:b` is a plain scalar, not an entry
    }
    if (key.length > 1024 || key === '__proto__') fail();
    return { key, rest: text.slice(skipSpaces(text, after)) };
  }

  /** A scalar or a one-line flow collection, with an optional comment after it. */
  private value(text: string): unknown {
    const first = text[0]!;
    if (first === '"' || first === "'") {
      const quoted = readQuoted(text, 0);
      if (!quoted) return fail();
      endsHere(text, quoted.end);
      return quoted.value;
    }
    if (first === '[') return this.flowList(text);
    if (first === '{') {
      if (!/^\{\}(?: +#.*)?$/.test(text)) fail();
      return {};
    }
    if ('&*!|>%@`,]}#?:'.includes(first) || (first === '-' && (text.length === 1 || text[1] === ' '))) fail();
    const comment = text.indexOf(' #');
    const plain = trimEnd(comment < 0 ? text : text.slice(0, comment));
    if (plain.includes(': ') || plain.endsWith(':')) fail(); // a nested mapping: an error
    return this.plain(plain);
  }

  private flowList(text: string): unknown[] {
    const items: unknown[] = [];
    let i = skipSpaces(text, 1);
    if (text[i] === ']') return endsHere(text, i + 1), items;
    for (;;) {
      if (text[i] === '"' || text[i] === "'") {
        const quoted = readQuoted(text, i);
        if (!quoted) return fail();
        items.push(quoted.value);
        i = skipSpaces(text, quoted.end);
      } else {
        let end = i;
        while (end < text.length && text[end] !== ',' && text[end] !== ']') end++;
        const plain = trimEnd(text.slice(i, end));
        if (!FLOW_PLAIN.test(plain)) fail();
        items.push(this.plain(plain));
        i = end;
      }
      if (text[i] === ']') return endsHere(text, i + 1), items;
      if (text[i] !== ',') fail();
      i = skipSpaces(text, i + 1);
      if (text[i] === ']' || text[i] === ',') fail(); // a trailing or empty entry
    }
  }

  private plain(text: string): unknown {
    const value = this.schema.resolve(text);
    return value === NOT_PLAIN_DATA ? fail() : value;
  }
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Spaces only: YAML's white space here (tabs never get this far). */
function trimEnd(text: string): string {
  let end = text.length;
  while (text[end - 1] === ' ') end--;
  return text.slice(0, end);
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ') i++;
  return i;
}

/** Nothing but spaces and a comment may follow a quoted scalar or a flow collection. */
function endsHere(text: string, i: number): void {
  const rest = text.slice(i);
  if (rest !== '' && !/^ +(?:#.*)?$/.test(rest)) fail();
}

const ESCAPES: Record<string, string> = { __proto__: null as never, '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0' };

/** A quoted scalar starting at `start` and closed on the same line; undefined when it is not closed. */
function readQuoted(text: string, start: number): { value: string; end: number } | undefined {
  const quote = text[start]!;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'" && ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i++;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (quote === '"' && ch === '"') return { value, end: i + 1 };
    if (quote === '"' && ch === '\\') {
      const escaped = ESCAPES[text[i + 1] ?? ''];
      if (escaped === undefined) fail(); // \x, \u, \<space> and friends: the library's
      value += escaped;
      i++;
      continue;
    }
    value += ch;
  }
  return undefined;
}
