// Template helpers (SPEC section 7): Helm's helper library with Sprig's names, argument order
// and Helm's emptiness, so charts read familiarly: `{{nindent 4 (toYaml values.resources)}}`,
// `{{default "x" values.y}}`, `{{trunc 63 (printf "%s-%s" release.name project)}}`.
// Pure: no clock, no randomness, no environment, no cluster or network access.
import type { HelperOptions } from 'handlebars';
import { stringifyYaml } from '../core/yaml.js';
import { str } from './sprig/args.js';
import { collectionHelpers } from './sprig/collections.js';
import { encodingHelpers } from './sprig/encoding.js';
import { goString, HelperTypeError, isMap, typeName } from './sprig/format.js';
import { globRegExp } from './sprig/glob.js';
import { numberHelpers } from './sprig/numbers.js';
import { stringHelpers } from './sprig/strings.js';
import { isEmpty } from './sprig/truth.js';

export { isEmpty };

export class HelperError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

export type Helper = (...args: unknown[]) => unknown;

/** Handlebars passes an options object last; helpers here take only the user's arguments. */
function plain(fn: (...args: unknown[]) => unknown): Helper {
  return (...args: unknown[]) => fn(...args.slice(0, -1));
}

const lineOf = (options: unknown) => (options as { loc?: { start: { line: number } } } | undefined)?.loc?.start.line;

export interface HelperContext {
  include(name: string, context: unknown): string;
  /** Renders a string as a template against a context (Helm's `tpl`). */
  tpl(template: string, context: unknown): string;
  /** Chart files outside templates/ (chart-relative path -> content). */
  files: ReadonlyMap<string, string>;
}

export function templateHelpers(ctx: HelperContext): Record<string, Helper> {
  const library: Record<string, (...args: never[]) => unknown> = { ...stringHelpers, ...collectionHelpers, ...numberHelpers, ...encodingHelpers };
  const helpers: Record<string, Helper> = Object.create(null);
  for (const [name, fn] of Object.entries(library)) helpers[name] = plain(fn as Helper);
  Object.assign(helpers, {
    toYaml: plain((v) => (v === undefined ? '' : stringifyYaml(v).replace(/\n$/, ''))),
    default: plain((fallback, v) => (isEmpty(v) ? fallback : v)),
    empty: plain((v) => isEmpty(v)),
    coalesce: plain((...vs) => vs.find((v) => !isEmpty(v)) ?? null),
    hasKey: plain((map, key) => isMap(map) && Object.prototype.hasOwnProperty.call(map, goString(key))),
    // Helm's rule: only nil and "" are missing; 0, false and empty collections pass.
    required: (message: unknown, value: unknown, options?: unknown) => {
      const opts = (options ?? value) as HelperOptions;
      if (options === undefined || value === undefined || value === null || value === '') throw new HelperError(str(message) || 'a required value is missing', lineOf(opts));
      return value;
    },
    fail: (message: unknown, options?: unknown) => {
      throw new HelperError(typeof message === 'string' ? message : goString(message), lineOf(options));
    },
    include: plain((name, context) => ctx.include(str(name), context)),
    tpl: plain((template, context) => ctx.tpl(str(template), context)),
    file: (path: unknown, options?: unknown) => {
      const content = ctx.files.get(str(path).replace(/^\.\//, ''));
      if (content === undefined) {
        throw new HelperError(`file: the chart has no file "${str(path)}" (chart files: ${[...ctx.files.keys()].slice(0, 10).join(', ') || 'none outside templates/'})`, lineOf(options));
      }
      return content;
    },
    files: plain((pattern) => {
      const re = globRegExp(str(pattern));
      const out: Record<string, string> = Object.create(null);
      for (const path of [...ctx.files.keys()].sort()) if (re.test(path)) out[path] = ctx.files.get(path)!;
      return out;
    }),
    len: plain((v) => {
      if (typeof v === 'string') return Buffer.byteLength(v);
      if (Array.isArray(v)) return v.length;
      if (isMap(v)) return Object.keys(v).length;
      throw new HelperTypeError(`len of type ${typeName(v)}`);
    }),
    base: plain((p) => str(p).split('/').filter(Boolean).at(-1) ?? '.'),
    eq: plain((a, b) => a === b),
    ne: plain((a, b) => a !== b),
    and: plain((...vs) => vs.find((v) => isEmpty(v)) ?? vs.at(-1)),
    or: plain((...vs) => vs.find((v) => !isEmpty(v)) ?? vs.at(-1)),
    not: plain((v) => isEmpty(v)),
  });
  return helpers;
}
