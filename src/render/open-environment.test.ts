import { describe, expect, it } from 'vitest';
import type { TemplateCache } from '../ports/index.js';
import { createEnvironment } from './environment.js';
import { openEnvironment } from './open-environment.js';
import { TemplateError, type TemplateFile } from './template-runtime.js';

/** An in-memory template cache that counts what was asked of it. */
class MemoryCache implements TemplateCache {
  readonly entries = new Map<string, string>();
  gets = 0;
  get(source: string) {
    this.gets++;
    return this.entries.get(source);
  }
  set(source: string, compiled: string) {
    this.entries.set(source, compiled);
  }
}

const labels: TemplateFile = { path: 'chart/templates/_labels.yaml', source: 'app: {{name}}\nproject: {{root.project}}' };
const deployment: TemplateFile = {
  path: 'chart/templates/deployment.yaml',
  source: 'kind: Deployment\nmetadata:\n  labels:{{nindent 4 (include "labels" (dict "name" values.name "root" @root))}}\nspec:\n  replicas: {{values.replicas}}\n{{#each values.ports}}  - {{this}}\n{{/each}}',
};
const context = { project: 'shop', values: { name: 'api', replicas: 2, ports: [80, 443] } };

async function renderWith(cache: TemplateCache | undefined, template: TemplateFile, partials: TemplateFile[] = [labels], ctx: unknown = context) {
  const environment = await openEnvironment({ partials, templates: [template] }, { cache });
  return environment.render(template, ctx);
}

function located(run: () => string): TemplateError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('openEnvironment with a template cache', () => {
  it('compiles once, remembers each template and partial, and renders the same bytes from the cache', async () => {
    const expected = createEnvironment([labels]).render(deployment, context);
    const cache = new MemoryCache();
    expect(await renderWith(cache, deployment)).toBe(expected);
    expect([...cache.entries.keys()].sort()).toEqual([labels.source, deployment.source].sort());
    const written = new Map(cache.entries);
    expect(await renderWith(cache, deployment)).toBe(expected);
    expect(cache.entries).toEqual(written);
    expect(cache.gets).toBe(4);
  });

  it('runs what the cache holds (a hit is used, not compiled again)', async () => {
    const cache = new MemoryCache();
    const other: TemplateFile = { path: 'chart/templates/other.yaml', source: 'kind: Other {{values.name}}' };
    await renderWith(cache, other);
    // The deployment's entry replaced by the other template's compiled form: the cache decides.
    cache.set(deployment.source, cache.entries.get(other.source)!);
    cache.set(labels.source, cache.entries.get(other.source)!);
    expect(await renderWith(cache, deployment)).toBe('kind: Other api');
  });

  it.each([
    ['not JavaScript', '{{{'],
    ['not a template', '{"main": 1}'],
    ['another compiler revision', '{"compiler":[7,">= 4.0.0"],"main":function(){return "old"},"useData":true}'],
    ['code that throws', '(() => { throw new Error("boom") })()'],
  ])('an entry that is %s is compiled again and replaced', async (_what, text) => {
    const cache = new MemoryCache();
    cache.set(deployment.source, text);
    cache.set(labels.source, text);
    expect(await renderWith(cache, deployment)).toBe(createEnvironment([labels]).render(deployment, context));
    expect(cache.entries.get(deployment.source)).not.toBe(text);
    expect(cache.entries.get(labels.source)).not.toBe(text);
  });

  it('locates a missing value at the same line on a hit as on a miss', async () => {
    const template: TemplateFile = { path: 'chart/templates/t.yaml', source: 'a: 1\nb: {{values.name}}\nc: {{quote values.typo}}\n' };
    const cache = new MemoryCache();
    const miss = located(() => createEnvironment([]).render(template, context));
    await expect(renderWith(cache, template, [])).rejects.toBeInstanceOf(TemplateError);
    expect(cache.entries.has(template.source)).toBe(true); // the render failed, the compile did not: kept
    const environment = await openEnvironment({ partials: [], templates: [template] }, { cache });
    const fromCache = located(() => environment.render(template, context));
    expect([fromCache.file, fromCache.line, fromCache.message]).toEqual([miss.file, miss.line, miss.message]);
  });

  it('a syntax error is located and nothing is remembered for it', async () => {
    const template: TemplateFile = { path: 'chart/templates/t.yaml', source: 'a: 1\nb: {{#if values.name}}\n' };
    const cache = new MemoryCache();
    const environment = await openEnvironment({ partials: [], templates: [template] }, { cache });
    const err = located(() => environment.render(template, context));
    const without = located(() => createEnvironment([]).render(template, context));
    expect([err.file, err.line, err.message]).toEqual(['chart/templates/t.yaml', without.line, without.message]);
    expect(err.message).toMatch(/^template syntax: /);
    expect(cache.entries.size).toBe(0);
  });

  it('an error of code generation surfaces when its partial is used, as without a cache', async () => {
    const broken: TemplateFile = { path: 'chart/templates/_broken.yaml', source: 'x: {{> labels a b}}' };
    const cache = new MemoryCache();
    expect(await renderWith(cache, deployment, [labels, broken])).toBe(createEnvironment([labels]).render(deployment, context));
    expect(cache.entries.has(broken.source)).toBe(false);
    const user: TemplateFile = { path: 'chart/templates/user.yaml', source: '{{include "broken" .}}' };
    const err = located(() => createEnvironment([labels, broken]).render(user, context));
    const environment = await openEnvironment({ partials: [labels, broken], templates: [user] }, { cache });
    expect(located(() => environment.render(user, context)).message).toBe(err.message);
  });

  it('tpl compiles text at render time even when every chart template comes from the cache', async () => {
    const template: TemplateFile = { path: 'chart/templates/t.yaml', source: 'x: {{tpl values.text .}}' };
    const ctx = { values: { text: 'hello {{values.name}}', name: 'api' } };
    const cache = new MemoryCache();
    expect(await renderWith(cache, template, [], ctx)).toBe('x: hello api');
    expect([...cache.entries.keys()]).toEqual([template.source]); // tpl's own text is not remembered
    expect(await renderWith(cache, template, [], ctx)).toBe('x: hello api');
  });

  it('without a cache, compiles as createEnvironment does', async () => {
    expect(await renderWith(undefined, deployment)).toBe(createEnvironment([labels]).render(deployment, context));
  });
});
