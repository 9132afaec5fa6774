import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/seeded-random.js';
import { stringifyYaml } from './yaml.js';
import { emitYaml } from './yaml-emit.js';

const OPTIONS = { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;
const library = (value: unknown) => stringify(value, OPTIONS);
const never = () => false;

// Pieces of strings that each change how a scalar must be written somewhere.
const ATOMS = [
  '', ' ', '  ', 'a', 'Ab', 'yes', 'No', 'on', 'OFF', 'y', 'N', 'true', 'False', 'null', 'NULL', '~', '1', '0', '007', '08', '0x1F', '0b10', '0o7',
  '1.5', '.5', '5.', '1e3', '1E-3', '1_000', '1:20', '1:20.5', '190:20:30', '.inf', '-.Inf', '.nan', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '2002-12-14 21:59:43.10 -5', '-', '?', ':', '::', '#', ' #', '# ', 'a#b', 'a: b', 'a:b', '---', '...', '--', '%', '@', '`', '!', '&', '*', '|', '>',
  "'", '"', "''", '[', ']', '{', '}', ',', '\t', '\x01', '\x00', '\x07', '\x0b', '\x1b', '\x7f', '\x85', '\x9f', '\u00a0', '\u2028', '\u2029', 'é',
  '\ud800', '\udfff', '😀', '\\', '\\n', '<<', '=', '+', '-1', '+1', '+.5', 'k8s.io/name', 'v1', '\r', '\n', 'a\n', '\nb', 'x'.repeat(1100),
];

function generator(seed: number) {
  const next = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const text = () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(ATOMS)).join('');
  const scalar = (): unknown =>
    pick([
      text,
      text,
      text,
      () => pick([0, -0, 1, -7, 42, 1.5, -0.25, 0.1, 1e21, 1e-7, 2 ** 53, Number.NaN, Infinity, -Infinity, 123456789.125]),
      () => next() < 0.5,
      () => null,
      () => pick([undefined, new Date(0), new Map([['k', 1]])]),
    ])();
  const value = (depth: number): unknown => {
    const r = next();
    if (depth >= 4 || r < 0.4) return scalar();
    const n = Math.floor(next() * 4);
    if (r < 0.7) {
      const object: Record<string, unknown> = next() < 0.2 ? Object.create(null) : {};
      for (let i = 0; i < n; i++) object[text()] = value(depth + 1);
      return object;
    }
    return Array.from({ length: n }, () => value(depth + 1));
  };
  return value;
}

describe('emitYaml writes what the yaml library writes', () => {
  it('on 20,000 generated values, with most taking the fast path', () => {
    const value = generator(13);
    let fast = 0;
    for (let n = 0; n < 20_000; n++) {
      const v = value(0);
      const expected = library(v);
      const ours = stringifyYaml(v);
      if (ours !== expected) expect({ value: v, ours }).toEqual({ value: v, ours: expected });
      if (emitYaml(v, never) !== undefined) fast++;
    }
    expect(fast).toBeGreaterThan(5_000);
  });

  it('on manifest-shaped data', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'shop-production', labels: { 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/weight': '-1', on: 'yes' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' }, annotations: {} },
          spec: {
            containers: [{ name: 'api', image: '127.0.0.1:5000/shop/api:0123abcd@sha256:' + 'f'.repeat(64), args: ['--port', '8080', '--flag=a: b'], env: [{ name: 'X', value: '5' }, { name: 'Y', value: '0x10' }], ports: [] }],
            tolerations: [[]],
          },
        },
      },
    };
    expect(emitYaml(deployment, never)).toBeDefined();
    expect(stringifyYaml(deployment)).toBe(library(deployment));
  });

  it.each([
    ['a multi-line string', { data: { 'run.sh': '#!/bin/sh\necho hi\n' } }],
    ['a Date', { at: new Date(0) }],
    ['undefined', { a: undefined }],
    ['a top-level string', 'text'],
    ['a merge key', { '<<': 'x' }],
    ['a key past 1024 characters', { ['k'.repeat(1030)]: 1 }],
    ['a class instance', { a: new (class Thing {})() }],
  ])('leaves %s to the library', (_what, value) => {
    expect(emitYaml(value, never)).toBeUndefined();
    expect(stringifyYaml(value)).toBe(library(value));
  });
});
