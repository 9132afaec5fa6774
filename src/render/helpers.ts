// Template helpers (SPEC section 7), in Helm's argument order so charts read familiarly:
// `{{nindent 4 (toYaml values.resources)}}`, `{{default "x" values.y}}`, `{{trunc 63 name}}`.
// Pure: no clock, no randomness, no file or network access.
import { createHash } from 'node:crypto';
import type { HelperOptions } from 'handlebars';
import { stringifyYaml } from '../core/yaml.js';

export class HelperError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

type Helper = (...args: unknown[]) => unknown;

/** Handlebars passes an options object last; helpers here take only the user's arguments. */
function plain(fn: (...args: unknown[]) => unknown): Helper {
  return (...args: unknown[]) => fn(...args.slice(0, -1));
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Helm's notion of empty: nil, false, 0, "", and empty lists and maps. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function indentLines(n: unknown, text: unknown): string {
  const pad = ' '.repeat(Number(n));
  return str(text)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

export function templateHelpers(include: (name: string, context: unknown) => string): Record<string, Helper> {
  return {
    toYaml: plain((v) => (v === undefined ? '' : stringifyYaml(v).replace(/\n$/, ''))),
    toJson: plain((v) => JSON.stringify(v ?? null)),
    indent: plain(indentLines),
    nindent: plain((n, text) => `\n${indentLines(n, text)}`),
    quote: plain((...vs) => vs.map((v) => JSON.stringify(str(v))).join(' ')),
    default: plain((fallback, v) => (isEmpty(v) ? fallback : v)),
    empty: plain((v) => isEmpty(v)),
    coalesce: plain((...vs) => vs.find((v) => !isEmpty(v)) ?? null),
    hasKey: plain((map, key) => map !== null && typeof map === 'object' && Object.prototype.hasOwnProperty.call(map, str(key))),
    required: (message: unknown, value: unknown, options?: unknown) => {
      const opts = (options ?? value) as HelperOptions & { loc?: { start: { line: number } } };
      if (options === undefined || isEmpty(value)) throw new HelperError(str(message) || 'a required value is missing', opts?.loc?.start.line);
      return value;
    },
    b64enc: plain((v) => Buffer.from(str(v), 'utf8').toString('base64')),
    sha256: plain((v) => createHash('sha256').update(str(v), 'utf8').digest('hex')),
    include: plain((name, context) => include(str(name), context)),
    eq: plain((a, b) => a === b),
    ne: plain((a, b) => a !== b),
    and: plain((...vs) => vs.every((v) => !isEmpty(v))),
    or: plain((...vs) => vs.find((v) => !isEmpty(v)) ?? vs.at(-1)),
    not: plain((v) => isEmpty(v)),
    lower: plain((v) => str(v).toLowerCase()),
    upper: plain((v) => str(v).toUpperCase()),
    trunc: plain((n, v) => {
      const s = str(v);
      const k = Number(n);
      return k >= 0 ? s.slice(0, k) : s.slice(k);
    }),
  };
}
