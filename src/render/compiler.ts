// Handlebars' parser and code generator, apart from its runtime: render/open-environment.ts loads
// this module only when a chart template is not in the template cache.
import Handlebars from 'handlebars';
import { rewriteStrictPaths } from './strict-paths.js';
import type { TemplateCompiler } from './template-runtime.js';

export const compiler: TemplateCompiler = {
  parse: (source, helpers) => rewriteStrictPaths(Handlebars.parse(source), helpers),
  // A fresh options object each time: precompile writes defaults into it.
  precompile: (ast) => Handlebars.precompile(ast as hbs.AST.Program, { strict: true, noEscape: true, knownHelpers: { log: false } }) as string,
};
