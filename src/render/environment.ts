// A template environment that compiles every template itself (Handlebars' compiler loaded), for
// callers that render templates they were handed. The render workflows open theirs through
// render/open-environment.ts, which takes compiled templates from the template cache.
import { compiler } from './compiler.js';
import { createRuntimeEnvironment, type EnvironmentOptions, type TemplateEnvironment, type TemplateFile } from './template-runtime.js';

export { partialName, RENDER_BUDGET, TemplateError } from './template-runtime.js';
export type { EnvironmentOptions, TemplateEnvironment, TemplateFile } from './template-runtime.js';

export function createEnvironment(partials: TemplateFile[], options: EnvironmentOptions = {}): TemplateEnvironment {
  return createRuntimeEnvironment(partials, { ...options, compiler });
}
