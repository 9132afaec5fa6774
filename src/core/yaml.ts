// YAML as Kubernetes reads it: YAML 1.1 (so `yes`/`on` strings get quoted on output), no folding.
// Plain data is written by core/yaml-emit.ts, the same bytes as the library's stringify without
// its document model, and the usual rendered YAML read by core/yaml-read.ts; anything else by the
// library.
import { Document, isScalar, stringify, type ScalarTag } from 'yaml';
import { emitYaml } from './yaml-emit.js';
import { NOT_PLAIN_DATA, readPlainDocuments, type ScalarSchema } from './yaml-read.js';

const OPTIONS = { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

export function stringifyYaml(value: unknown): string {
  return emitYaml(value, scalarSchema('1.1').typed) ?? stringify(value, OPTIONS);
}

/**
 * The values of `parseAllDocuments(text, { version, uniqueKeys: true })` and toJS(), when the text
 * is YAML of the usual kind; undefined: read it with the library.
 */
export function readYamlDocuments(text: string, version: '1.1' | '1.2' = '1.1'): unknown[] | undefined {
  return readPlainDocuments(text, scalarSchema(version));
}

const schemas = new Map<string, ScalarSchema>();

/** The library's own tags of a YAML version's schema, as composeScalar and stringifyString use them. */
function scalarSchema(version: '1.1' | '1.2'): ScalarSchema {
  let made = schemas.get(version);
  if (made) return made;
  const { schema } = new Document(null, { version });
  const scalarTags = (tags: readonly unknown[]) => tags.filter((t): t is ScalarTag => (t as ScalarTag).test instanceof RegExp);
  // stringifyString's test: any default tag but str (compat included); for keys, the reader's too.
  const typed = anyOf(scalarTags([...schema.tags, ...(schema.compat ?? [])]).filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str').map((t) => t.test!));
  // composeScalar's for values: the first default tag whose test matches, else a string.
  const values = scalarTags(schema.tags).filter((t) => t.default === true);
  made = {
    typed,
    resolve(plain) {
      if (!typed(plain)) return plain;
      const tag = values.find((t) => t.test!.test(plain));
      if (!tag) return plain;
      let failed = false;
      let value: unknown = tag.resolve(plain, () => (failed = true), { intAsBigInt: false } as never);
      if (isScalar(value)) value = value.value;
      return failed || !(value === null || typeof value === 'number' || typeof value === 'boolean') ? NOT_PLAIN_DATA : value;
    },
  };
  schemas.set(version, made);
  return made;
}

/** One test for many anchored regular expressions: one alternation when they allow it. */
function anyOf(tests: RegExp[]): (text: string) => boolean {
  const combinable = tests.every((t) => t.flags === '' && !/\\[1-9k]/.test(t.source));
  if (!combinable) return (text) => tests.some((t) => t.test(text));
  const all = new RegExp(tests.map((t) => `(?:${t.source})`).join('|'));
  return (text) => all.test(text);
}
