// Encoding, hashing, parsing and flow helpers, with Helm's behaviour on bad input: fromYaml and
// fromJson answer a map with an `Error` key, b64dec answers the error text, toJson of what
// cannot be JSON answers "".
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { KUBERNETES_TAGS } from '../../core/yaml-tags.js';
import { bool, str } from './args.js';
import { HelperTypeError, isMap } from './format.js';
import { semverCompare } from './semver.js';

/** Go's json.Marshal: sorted keys, compact, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(v: unknown, indent = ''): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (isMap(x)) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted(x[k])]));
    return x === undefined ? null : x;
  };
  const text = JSON.stringify(sorted(v), null, indent) ?? 'null';
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function errorMap(message: string): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  out.Error = message;
  return out;
}

const sum = (algorithm: string) => (s: unknown) => createHash(algorithm).update(str(s), 'utf8').digest('hex');

export const encodingHelpers = {
  toJson: (v: unknown) => {
    try {
      return goJson(v);
    } catch {
      return '';
    }
  },
  toPrettyJson: (v: unknown) => {
    try {
      return goJson(v, '  ');
    } catch {
      return '';
    }
  },
  fromJson: (s: unknown) => {
    try {
      const v = JSON.parse(str(s)) as unknown;
      return isMap(v) ? v : errorMap(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`);
    } catch (err) {
      if (err instanceof HelperTypeError) throw err;
      return errorMap((err as Error).message);
    }
  },
  fromYaml: (s: unknown) => {
    try {
      const v = parseYaml(str(s), { version: '1.1', maxAliasCount: 100, logLevel: 'error', ...KUBERNETES_TAGS }) as unknown;
      if (v === null || v === undefined) return Object.create(null);
      return isMap(v) ? v : errorMap(`error unmarshaling JSON: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`);
    } catch (err) {
      if (err instanceof HelperTypeError) throw err;
      return errorMap((err as Error).message.split('\n')[0]!);
    }
  },
  b64enc: (s: unknown) => Buffer.from(str(s), 'utf8').toString('base64'),
  b64dec: (s: unknown) => {
    const text = str(s);
    const bad = /[^A-Za-z0-9+/=]/.exec(text);
    if (bad) return `illegal base64 data at input byte ${bad.index}`;
    if (text.length % 4 !== 0 || /=[^=]/.test(text)) return `illegal base64 data at input byte ${Math.max(0, text.length - (text.length % 4 || 4))}`;
    return Buffer.from(text, 'base64').toString('utf8');
  },
  sha1sum: sum('sha1'),
  sha256sum: sum('sha256'),
  /** slipway's own name, kept: the same as sha256sum. */
  sha256: sum('sha256'),
  semverCompare: (constraint: unknown, version: unknown) => semverCompare(str(constraint), str(version)),
  ternary: (ifTrue: unknown, ifFalse: unknown, condition: unknown) => (bool(condition) ? ifTrue : ifFalse),
};
