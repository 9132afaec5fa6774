// YAML documents whose nodes can be traced back to file:line:col, for located error messages.
import { isMap, isPair, isSeq, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { readYamlDocuments } from '../core/yaml.js';
import { KUBERNETES_TAGS } from '../core/yaml-tags.js';
import type { Issue } from '../errors.js';

export interface LocatedYaml {
  file: string;
  value: unknown;
  /** Syntax errors (with positions); empty when the document parsed. */
  errors: Issue[];
  /** Location of the node at `path`, or of its deepest existing ancestor. With `key`, the key of that entry. */
  locate(path: readonly PropertyKey[], key?: string): { line: number; column: number };
}

export function parseLocatedYaml(text: string, file: string): LocatedYaml {
  // YAML of the usual kind is read without the library's document model (core/yaml-read.ts); the
  // model is built only if a location is asked for, which happens on the way to an error.
  const plain = readYamlDocuments(text, '1.2');
  if (plain && plain.length <= 1) {
    let located: LocatedYaml | undefined;
    return { file, value: plain[0] ?? null, errors: [], locate: (path, key) => (located ??= parseWithLibrary(text, file)).locate(path, key) };
  }
  return parseWithLibrary(text, file);
}

function parseWithLibrary(text: string, file: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, ...KUBERNETES_TAGS });
  const errors: Issue[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { file, line: pos.line, column: pos.col, message: e.message.split('\n')[0]! };
  });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  let value: unknown;
  if (!errors.length) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // An alias bomb (billion laughs): refuse it where it is, never expand it.
      errors.push({ file, line: 1, column: 1, message: `too many alias expansions (${(err as Error).message.replace(/\.$/, '')}); write the values out` });
    }
  }
  return {
    file,
    value,
    errors,
    locate(path, key) {
      let node: unknown = doc.contents;
      for (const segment of path) {
        if (!isMap(node) && !isSeq(node)) break;
        const next: unknown = node.get(segment, true);
        if (next === undefined) break;
        node = next;
      }
      if (key !== undefined && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
        if (pair && isScalar(pair.key)) return at(pair.key.range?.[0]);
      }
      return at((node as Node | null)?.range?.[0]);
    },
  };
}
