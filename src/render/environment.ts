// An isolated Handlebars environment per render: strict (a missing value is an error with its
// template file:line), noEscape (YAML is not HTML), partials from `_*` files, our helpers only.
import Handlebars from 'handlebars';
import { HelperError, templateHelpers } from './helpers.js';
import { MissingPathError, pathHelpers, rewriteStrictPaths } from './strict-paths.js';

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
}

/** Partial name of `_labels.yaml` / `_helpers.tpl`: `labels` / `helpers`. */
export function partialName(path: string): string {
  return path.split('/').at(-1)!.replace(/^_/, '').replace(/\.[^.]*$/, '');
}

export function createEnvironment(partials: TemplateFile[]): TemplateEnvironment {
  const hb = Handlebars.create();
  // Handlebars' built-in `log` writes to the console, which would corrupt stdout (data only).
  hb.unregisterHelper('log');
  const compiled = new Map<string, Compiled>();
  const include = (name: string, context: unknown): string => {
    const fn = compiled.get(name);
    if (!fn) throw new HelperError(`include: no partial named "${name}" (partials: ${[...compiled.keys()].join(', ') || 'none'})`);
    return fn(context);
  };
  for (const [name, helper] of Object.entries({ ...templateHelpers(include), ...pathHelpers() })) hb.registerHelper(name, helper);
  const helperNames = new Set(Object.keys(hb.helpers));
  const compile = (file: TemplateFile): Compiled => {
    let fn: Compiled;
    try {
      const ast = rewriteStrictPaths(hb.parse(file.source), helperNames);
      const template = hb.compile(ast, { strict: true, noEscape: true, knownHelpers: { log: false } });
      fn = (ctx, opts) => template(ctx, opts as Handlebars.RuntimeOptions);
    } catch (err) {
      throw locate(file, err);
    }
    return (ctx, opts) => {
      try {
        return fn(ctx, opts);
      } catch (err) {
        throw locate(file, err);
      }
    };
  };
  for (const partial of partials) {
    const fn = compile(partial);
    compiled.set(partialName(partial.path), fn);
    hb.registerPartial(partialName(partial.path), fn as unknown as Handlebars.Template);
  }
  return {
    render: (template, context) => compile(template)(context),
  };
}

/** Turns Handlebars' errors into file:line. An error located in a partial keeps the partial's location. */
function locate(file: TemplateFile, err: unknown): TemplateError {
  if (err instanceof TemplateError) return err;
  const e = err as Error & { lineNumber?: number };
  if (err instanceof HelperError || err instanceof MissingPathError) return new TemplateError(file.path, err.line, err.message);
  const parse = /^Parse error on line (\d+):\n[\s\S]*?\n[-]*\^\n([\s\S]*)$/.exec(e.message ?? '');
  if (parse) return new TemplateError(file.path, Number(parse[1]), `template syntax: ${parse[2]!.split('\n')[0]}`);
  const strict = /^"([^"]+)" not defined in .* - (\d+):\d+$/.exec(e.message ?? '');
  if (strict) return new TemplateError(file.path, Number(strict[2]), `"${strict[1]}" is not defined (missing value or unknown helper)`);
  const line = typeof e.lineNumber === 'number' ? e.lineNumber : undefined;
  return new TemplateError(file.path, line, (e.message ?? String(err)).replace(/ - \d+:\d+$/, ''));
}
