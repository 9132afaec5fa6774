import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random.js';
import { readYamlDocuments } from './yaml.js';

/** What parseRendered used to do with every text: the library's documents, or undefined when one has an error. */
function library(text: string, version: '1.1' | '1.2' = '1.1'): unknown[] | undefined {
  const docs = parseAllDocuments(text, { version, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length > 0)) return undefined;
  try {
    return list.map((d) => d.toJS({ maxAliasCount: 100 }));
  } catch {
    return undefined; // an alias to no anchor, too many aliases
  }
}

/** Equal values, in the same key order (toEqual ignores order; JSON loses -0 and NaN). */
function expectSame(text: string, ours: unknown[], version: '1.1' | '1.2' = '1.1') {
  const expected = library(text, version);
  expect({ text, errors: expected === undefined }).toEqual({ text, errors: false });
  expect({ text, ours }).toEqual({ text, ours: expected });
  expect({ text, order: JSON.stringify(ours) }).toEqual({ text, order: JSON.stringify(expected) });
}

const SCALARS = [
  'a', 'web', 'apps/v1', '127.0.0.1:5000/shop/api:0123abcd', 'a b', ' a', 'a#b', 'a #b', 'a: b', 'a:', ':a', '-a', '- a', '-', '--x', '?', '? a', '#', '',
  'yes', 'No', 'on', 'OFF', 'y', 'N', 'true', 'FALSE', 'null', 'Null', '~', '0', '-0', '+0', '7', '-12', '+5', '007', '08', '0x1F', '0b11', '1_000',
  '1.5', '-0.25', '00.5', '1.', '.5', '.', '1e3', '1.5e-3', '1:20', '1:20.5', '.inf', '-.Inf', '.nan', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '<<', '=', '*a', '&a', '!x', '|', '>', '%', '@', '`', '[', ']', '{', '}', ',', 'a,b', 'a[0]', "it's", 'say "hi"', 'a\\b', 'é', '😀', '---', '...',
  '12345678901234567890123', 'constructor', 'toString', '__proto__', 'x'.repeat(1100),
];
const KEYS = ['a', 'b', 'name', 'app.kubernetes.io/name', 'k8s-app', '_x', 'yes', '1', 'on', 'a b', 'x:y', '-k', 'constructor', 'toString', '"q"', "it's", 'é', ''];
// Lines a template might write that stringify never does.
const EXTRA_LINES = [
  'k: ["sh", "-c", "echo a; b"]', "k: ['a', 'it''s', b, 1, yes, -1.5]", 'k: []', 'k: [ ]', 'k: {}', 'k: { }', 'k: [a,]', 'k: [a, [b]]', 'k: {a: 1}',
  'k: [a, b] # c', 'k: "a" # c', "k: 'a' x", 'k: "a\\tb\\n\\"c\\"\\/"', 'k: "\\x41"', 'k: "\\u00e9"', 'k: "a\\', 'k: |', 'k: >-', 'k: &x 1', 'k: *x',
  'k: !!str 1', '"k": 1', "'k': 2", '"k":1', 'k:1', 'k:', 'k:    ', 'k: # c', '- a', '-', '- - a', '- k: v', '-   k: v', '? k', ': v', '# c', '  # c',
  'yes: 1', 'On: 2', '1: a', 'null: 1', '~: x', '0x1: y', '1.5: z', '<<: {}', '', '   ', 'k: a\tb', 'k: v\r', '--- x', '---', '--- # c', '...', '%YAML 1.1', 'k: \u00a0a', 'k: a\u2028b', 'k: -', 'k: - a', 'k: a: b', 'k: [a, b',
];

function texts(seed: number, version: '1.1' | '1.2') {
  const next = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const scalar = (): unknown => (next() < 0.8 ? pick(SCALARS) : pick([0, -0, 3, 1.5, -2.25, true, false, null, 1e21]));
  const value = (depth: number): unknown => {
    const r = next();
    if (depth >= 4 || r < 0.35) return scalar();
    const n = Math.floor(next() * 4);
    if (r < 0.75) {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) object[next() < 0.7 ? pick(KEYS.slice(0, 5)) + i : pick(KEYS)] = value(depth + 1);
      return object;
    }
    return Array.from({ length: n }, () => value(depth + 1));
  };
  return (): string => {
    const docs: string[] = [];
    const count = 1 + Math.floor(next() * 3);
    for (let d = 0; d < count; d++) {
      const options = { version, lineWidth: 0, indentSeq: next() < 0.7, indent: next() < 0.8 ? 2 : 4 };
      docs.push(stringify(next() < 0.9 ? { kind: 'K', spec: value(1) } : value(0), options));
    }
    const lines = docs.join(pick(['---\n', '--- # c\n', '---  \n', '\n---\n'])).split('\n');
    if (next() < 0.3) lines.unshift(pick(['---', '# head', '', '---\n---']));
    // Mutations: each one may make the text invalid, or YAML this reader leaves to the library.
    const mutations = Math.floor(next() * 4);
    for (let m = 0; m < mutations; m++) {
      const at = Math.floor(next() * lines.length);
      const line = lines[at] ?? '';
      const indent = line.length - line.trimStart().length;
      switch (Math.floor(next() * 7)) {
        case 0:
          lines[at] = `${line}${pick([' # c', '   ', ' #', '#x'])}`;
          break;
        case 1:
          lines.splice(at, 0, ' '.repeat(indent) + pick(EXTRA_LINES));
          break;
        case 2:
          lines.splice(at, 0, pick(['', '   ', '# c', '      # deep']));
          break;
        case 3:
          lines[at] = ' '.repeat(Math.max(0, indent + pick([-2, -1, 1, 2]))) + line.trimStart();
          break;
        case 4:
          lines.splice(at, 0, line);
          break;
        case 5:
          lines.splice(at, 1);
          break;
        default:
          lines[at] = ' '.repeat(indent) + pick(EXTRA_LINES);
      }
    }
    return lines.join('\n');
  };
}

describe('readYamlDocuments reads what the yaml library reads', () => {
  it.each(['1.1', '1.2'] as const)('YAML %s: on 5,000 generated texts, or leaves them to the library', (version) => {
    const text = texts(7, version);
    let read = 0;
    let invalid = 0;
    for (let n = 0; n < 5_000; n++) {
      const t = text();
      const ours = readYamlDocuments(t, version);
      if (ours) {
        read++;
        expectSame(t, ours, version);
      } else if (!library(t, version)) invalid++;
    }
    expect(read).toBeGreaterThan(1_200); // many texts take the fast path
    expect(invalid).toBeGreaterThan(400); // and the generator does make broken ones
  });

  it.each([
    ['manifests', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels: \n    a: b\n    \nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: api\n          command: ["sh", "-c", "echo ready; sleep 1"]\n          env:\n            - name: X\n              value: "5"\n---\n# c\napiVersion: v1\nkind: Service\n'],
    ['a list at its key\'s indent', 'a:\n- 1\n- b: 2\n  c: [x]\nd: ~\n'],
    ['empty and comment-only documents', '# only\n---\n---\n# c\n---\na: 1\n---\n'],
    ['quoted keys and escapes', '"a b": \'it\'\'s\'\n\'c\': "x\\ty\\\\z\\"q\\/"\n'],
    ['inherited names as keys', 'constructor: 1\ntoString: x\nhasOwnProperty: []\n'],
    ['YAML 1.1 scalars', 'a: [yes, No, on, OFF, ~, Null, -0, +5, 1.50, 00.5, y, n, 010, 0x1F, .inf, -.NaN]\nb: 1:20\nc: 1_000\n'],
  ])('%s', (_what, text) => {
    const ours = readYamlDocuments(text);
    expect(ours).toBeDefined();
    expectSame(text, ours!);
  });

  it('YAML 1.2 reads its own scalars', () => {
    const text = 'a: [yes, no, on, true, False, ~, 0o17, 010, 0x1F, .inf, 1e3]\nb: 1:20\n';
    expectSame(text, readYamlDocuments(text, '1.2')!, '1.2');
    expect(readYamlDocuments(text, '1.2')).toEqual([{ a: ['yes', 'no', 'on', true, false, null, 15, 10, 31, Infinity, 1000], b: '1:20' }]);
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a block scalar', 'a: |\n  x\n'],
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['a timestamp', 'a: 2001-12-14\n'],
    ['a tab', 'a:\tb\n'],
    ['a merge key', '<<: {}\n'],
    ['a key that reads as a boolean', 'yes: 1\n'],
    ['nesting deeper than the stack', Array.from({ length: 20_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
  ])('leaves %s to the library', (_what, text) => {
    expect(readYamlDocuments(text)).toBeUndefined();
  });
});
