// YAML as Kubernetes reads it: YAML 1.1 (so `yes`/`on` strings get quoted on output), no folding.
// Plain data is written by core/yaml-emit.ts, the same bytes as the library's stringify without
// its document model, and the usual rendered YAML read by core/yaml-read.ts; anything else by the
// library.
import { Document, stringify } from 'yaml';
import { emitYaml, type TypedScalarTest } from './yaml-emit.js';
import { readPlainDocuments } from './yaml-read.js';

const OPTIONS = { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

export function stringifyYaml(value: unknown): string {
  typed ??= typedScalarTest();
  return emitYaml(value, typed) ?? stringify(value, OPTIONS);
}

/**
 * The values of `parseAllDocuments(text, { version: '1.1', uniqueKeys: true })` and toJS(), when
 * the text is the usual YAML of rendered templates; undefined: read it with the library.
 */
export function readYamlDocuments(text: string): unknown[] | undefined {
  typed ??= typedScalarTest();
  return readPlainDocuments(text, typed);
}

let typed: TypedScalarTest | undefined;

/** The library's own check (plainString's `actualString` test): a default tag other than str reads the text. */
function typedScalarTest(): TypedScalarTest {
  const { schema } = new Document(null, OPTIONS);
  const tests = [...schema.tags, ...(schema.compat ?? [])].flatMap((tag) =>
    tag.default && tag.tag !== 'tag:yaml.org,2002:str' && 'test' in tag && tag.test instanceof RegExp ? [tag.test] : [],
  );
  return (plain) => tests.some((test) => test.test(plain));
}
