// A chart's template environment for a render: templates an earlier run of this build compiled
// come from the template cache, and Handlebars' compiler (its parser tables and code generator,
// ~4 ms to load, ~2 ms a template to run) loads only when one is missing or a template uses `tpl`,
// which compiles text at render time.
import type { TemplateCache } from '../ports/index.js';
import {
  createRuntimeEnvironment,
  evaluateCompiled,
  type EnvironmentOptions,
  type TemplateEnvironment,
  type TemplateFile,
  type TemplateSpecification,
} from './template-runtime.js';

export async function openEnvironment(
  chart: { partials: TemplateFile[]; templates: TemplateFile[] },
  options: EnvironmentOptions & { cache?: TemplateCache },
): Promise<TemplateEnvironment> {
  const { cache, ...rest } = options;
  const files = [...chart.partials, ...chart.templates];
  const compiled = new Map<string, TemplateSpecification>();
  for (const { source } of cache ? files : []) {
    const text = cache!.get(source);
    if (text === undefined || compiled.has(source)) continue;
    try {
      compiled.set(source, evaluateCompiled(text));
    } catch {
      // a damaged or foreign entry: compiled again below, and replaced
    }
  }
  // `tpl` is a helper name, so a template can call it only by writing it.
  const complete = files.every((f) => compiled.has(f.source) && !f.source.includes('tpl'));
  const compiler = complete ? undefined : (await import('./compiler.js')).compiler;
  return createRuntimeEnvironment(chart.partials, { ...rest, compiled, compiler, onCompiled: cache && ((source, text) => cache.set(source, text)) });
}
