// Compiled chart templates remembered between runs: Handlebars' parse and code generation cost a
// render more than the rendering itself, and a chart's templates rarely change between commits.

/**
 * Template source -> the JavaScript Handlebars compiled it to (`Handlebars.precompile`'s text),
 * written by an earlier run of the same build of slipway. The text is run as code: the store
 * must be one only this user writes (the user's cache directory).
 */
export interface TemplateCache {
  get(source: string): string | undefined;
  set(source: string, compiled: string): void;
}
