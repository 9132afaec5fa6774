// An isolated Handlebars environment per render: strict (a missing value is an error with its
// template file:line), noEscape (YAML is not HTML), partials from `_*` files, our helpers only.
// Handlebars' runtime only: templates arrive compiled (from the template cache), or are compiled
// by the compiler the caller loaded (render/compiler.ts; render/environment.ts always loads it).
import Handlebars from 'handlebars/runtime';
import type { HelperOptions } from 'handlebars';
import { HelperError, isEmpty, templateHelpers } from './helpers.js';
import { HelperTypeError } from './sprig/format.js';
import { goTemplateHint } from './go-syntax.js';
import { MissingPathError, pathHelpers } from './strict-paths.js';

export interface TemplateFile {
  /** Path shown to users, e.g. `deploy/templates/deployment.yaml`. */
  path: string;
  source: string;
}

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

type Compiled = (context: unknown, options?: unknown) => string;

export interface TemplateEnvironment {
  render(template: TemplateFile, context: unknown): string;
  /** Starts a new render budget: an environment reused for a second render of the chart. */
  reset(): void;
}

/** Partial name of `_labels.yaml` / `_helpers.tpl`: `labels` / `helpers`. */
export function partialName(path: string): string {
  return path.split('/').at(-1)!.replace(/^_/, '').replace(/\.[^.]*$/, '');
}

const MAX_DEPTH = 64;

/** Work one chart render may do: template, partial and helper calls, and output bytes. */
export const RENDER_BUDGET = { calls: 20_000, outputBytes: 16 * 1024 * 1024 };

export interface EnvironmentOptions {
  budget?: typeof RENDER_BUDGET;
  /** Chart files outside templates/ (chart-relative path -> content), for `file` and `files`. */
  files?: ReadonlyMap<string, string>;
}

/** Handlebars' parser and code generator (render/compiler.ts). */
export interface TemplateCompiler {
  /** The template's syntax tree, strict paths rewritten (`helpers`: the names that are helpers); throws parse errors. */
  parse(source: string, helpers: ReadonlySet<string>): unknown;
  /** The tree as JavaScript: the text of `Handlebars.precompile`. */
  precompile(ast: unknown): string;
}

export interface RuntimeEnvironmentOptions extends EnvironmentOptions {
  /** Template source -> its compiled form, from an earlier run (see evaluateCompiled). */
  compiled?: ReadonlyMap<string, TemplateSpecification>;
  /** Needed for any template not in `compiled`, and for `tpl`. */
  compiler?: TemplateCompiler;
  /** Told each chart template or partial compiled here, with its JavaScript. */
  onCompiled?: (source: string, compiled: string) => void;
}

export type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

/** The template a precompile's text describes; throws unless it is one this Handlebars runs. */
export function evaluateCompiled(text: string): TemplateSpecification {
  // The text is Handlebars' own output (precompile), kept in the user's cache directory.
  const spec = new Function(`return (${text}\n);`)() as { main?: unknown; compiler?: unknown } | null;
  const revision = Array.isArray(spec?.compiler) ? spec.compiler[0] : undefined;
  if (typeof spec?.main !== 'function' || revision !== (Handlebars as unknown as { COMPILER_REVISION: number }).COMPILER_REVISION) throw new Error('not a template compiled by this Handlebars');
  return spec as TemplateSpecification;
}

export function createRuntimeEnvironment(partials: TemplateFile[], options: RuntimeEnvironmentOptions = {}): TemplateEnvironment {
  const budget = options.budget ?? RENDER_BUDGET;
  const hb = Handlebars.create();
  // Rendering is synchronous: without a bound, exponentially nested partials would run for
  // minutes and no signal could interrupt them.
  let calls = 0;
  let output = 0;
  let depth = 0;
  const spend = () => {
    if (++calls > budget.calls) throw new HelperError(`render budget exceeded: more than ${budget.calls} template, partial and helper calls (recursive or exponentially nested partials?)`);
  };
  // Handlebars' built-in `log` writes to the console, which would corrupt stdout (data only).
  hb.unregisterHelper('log');
  const compiled = new Map<string, Compiled>();
  const include = (name: string, context: unknown): string => {
    const fn = compiled.get(name);
    if (!fn) throw new HelperError(`include: no partial named "${name}" (partials: ${[...compiled.keys()].join(', ') || 'none'})`);
    return fn(context);
  };
  const tplCache = new Map<string, Compiled>();
  const tpl = (source: string, context: unknown): string => {
    let fn = tplCache.get(source);
    if (!fn) {
      fn = compile({ path: 'tpl', source }, false);
      tplCache.set(source, fn);
    }
    return fn(context);
  };
  const library = { ...templateHelpers({ include, tpl, files: options.files ?? new Map() }), ...pathHelpers() };
  for (const [name, helper] of Object.entries(library)) {
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      spend();
      try {
        return (helper as (...a: unknown[]) => unknown).apply(this, args);
      } catch (err) {
        throw helperFailure(name, err, args.at(-1));
      }
    });
  }
  // Helm's emptiness for if/unless/with: 0, "", false, null, [] and {} are false.
  const truth = (v: unknown) => !isEmpty(typeof v === 'function' ? undefined : v);
  const builtins = { if: hb.helpers.if!, unless: hb.helpers.unless!, with: hb.helpers.with!, each: hb.helpers.each!, lookup: hb.helpers.lookup! } as Record<string, (...a: unknown[]) => unknown>;
  const guarded: Record<string, (this: unknown, ...a: unknown[]) => unknown> = {
    if: function (this: unknown, cond, opts) {
      return builtins.if!.call(this, truth(cond), opts);
    },
    unless: function (this: unknown, cond, opts) {
      return builtins.unless!.call(this, truth(cond), opts);
    },
    with: function (this: unknown, ctx, opts) {
      return truth(ctx) ? builtins.with!.call(this, ctx, opts) : (opts as HelperOptions).inverse(this);
    },
    each: builtins.each!,
    lookup: builtins.lookup!,
  };
  for (const [name, helper] of Object.entries(guarded)) {
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      spend();
      const options = args.at(-1) as HelperOptions | undefined;
      if (name !== 'lookup' && typeof options?.fn !== 'function') {
        throw helperFailure(name, new HelperError(`${name} is a block helper: write {{#${name} …}} … {{/${name}}}`), options);
      }
      try {
        return helper.apply(this, args);
      } catch (err) {
        throw helperFailure(name, err, options);
      }
    });
  }
  const helperNames = new Set(Object.keys(hb.helpers));
  // Parse errors surface at once; code generation errors (`{{> p a b}}`) when the template is
  // first used, as with Handlebars' own lazy compile, so an unused partial may hold one.
  const specification = (source: string, remember: boolean): { spec: TemplateSpecification } | { failed: unknown } => {
    const known = options.compiled?.get(source);
    if (known) return { spec: known };
    if (!options.compiler) throw new Error('internal error: a template is not compiled and the compiler is not loaded');
    const ast = options.compiler.parse(source, helperNames);
    let text: string;
    try {
      text = options.compiler.precompile(ast);
    } catch (failed) {
      return { failed };
    }
    if (remember) options.onCompiled?.(source, text);
    return { spec: evaluateCompiled(text) };
  };
  const compile = (file: TemplateFile, remember = true): Compiled => {
    let fn: Compiled;
    try {
      const made = specification(file.source, remember);
      if ('failed' in made) {
        fn = () => {
          throw made.failed;
        };
      } else {
        const template = hb.template(made.spec);
        fn = (ctx, opts) => template(ctx, opts as Handlebars.RuntimeOptions);
      }
    } catch (err) {
      throw locate(file, err);
    }
    return (ctx, opts) => {
      try {
        spend();
        if (++depth > MAX_DEPTH) throw new HelperError(`partials nested more than ${MAX_DEPTH} deep (a partial that includes itself?)`);
        const text = fn(ctx, opts);
        output += text.length;
        if (output > budget.outputBytes) throw new HelperError(`render budget exceeded: more than ${budget.outputBytes / 1024 / 1024} MB of output`);
        return text;
      } catch (err) {
        throw locate(file, err);
      } finally {
        depth--;
      }
    };
  };
  for (const partial of partials) {
    const fn = compile(partial);
    compiled.set(partialName(partial.path), fn);
    hb.registerPartial(partialName(partial.path), fn as unknown as Handlebars.Template);
  }
  // A template is compiled once per environment, however often the chart is rendered.
  const templates = new Map<string, Compiled>();
  return {
    render: (template, context) => {
      const key = `${template.path}\0${template.source}`;
      let fn = templates.get(key);
      if (!fn) templates.set(key, (fn = compile(template)));
      return fn(context);
    },
    reset: () => {
      calls = 0;
      output = 0;
      depth = 0;
    },
  };
}

/** A helper's failure, named and located: never a bare JavaScript error. */
function helperFailure(name: string, err: unknown, options: unknown): Error {
  const line = (options as { loc?: { start: { line: number } } } | undefined)?.loc?.start.line;
  if (err instanceof HelperError) return err.line === undefined ? new HelperError(err.message, line) : err;
  if (err instanceof TemplateError || err instanceof MissingPathError) return err;
  const message = err instanceof HelperTypeError ? err.message : `${(err as Error).message ?? String(err)}`;
  return new HelperError(`${name}: ${message}`, line);
}

/** Turns Handlebars' errors into file:line, with the Handlebars form of any Go-template syntax there. */
function locate(file: TemplateFile, err: unknown): TemplateError {
  if (err instanceof TemplateError) return err;
  const located = locateOnly(file, err);
  // Any failure on a line written in Go-template syntax gets the Handlebars form of it.
  const hint = goTemplateHint(file.source, located.line);
  return hint ? new TemplateError(located.file, located.line, `${located.message} (${hint})`) : located;
}

/** An error located in a partial keeps the partial's location. */
function locateOnly(file: TemplateFile, err: unknown): TemplateError {
  const e = err as Error & { lineNumber?: number };
  if (err instanceof HelperError || err instanceof MissingPathError) return new TemplateError(file.path, err.line, err.message);
  const parse = /^Parse error on line (\d+):\n[\s\S]*?\n[-]*\^\n([\s\S]*)$/.exec(e.message ?? '');
  if (parse) return new TemplateError(file.path, Number(parse[1]), `template syntax: ${parse[2]!.split('\n')[0]}`);
  const strict = /^"([^"]+)" not defined in .* - (\d+):\d+$/.exec(e.message ?? '');
  if (strict) return new TemplateError(file.path, Number(strict[2]), `"${strict[1]}" is not defined (missing value or unknown helper)`);
  const line = typeof e.lineNumber === 'number' ? e.lineNumber : undefined;
  return new TemplateError(file.path, line, (e.message ?? String(err)).replace(/ - \d+:\d+$/, ''));
}
