import { describe, expect, it } from 'vitest';
import { createEnvironment, TemplateError, type TemplateFile } from './environment.js';

const render = (source: string, context: unknown = {}, partials: TemplateFile[] = []) =>
  createEnvironment(partials).render({ path: 'chart/templates/t.yaml', source }, context);

function renderError(source: string, context: unknown = {}, partials: TemplateFile[] = []): TemplateError {
  try {
    render(source, context, partials);
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error('expected a TemplateError');
}

describe('template helpers', () => {
  const values = { name: 'Shop & Co', n: 3, list: ['a', 'b'], map: { k: 'v', n: { x: 1 } }, empty: '', yes: 'yes', text: 'a\nb' };
  it.each([
    // YAML 1.1, as Kubernetes reads it: the key `n` (a boolean there) is quoted
    ['{{toYaml values.map}}', 'k: v\n"n":\n  x: 1'],
    ['{{toJson values.list}}', '["a","b"]'],
    ['x:{{indent 2 values.text}}', 'x:  a\n  b'],
    ['x:{{nindent 2 (toYaml values.map.n)}}', 'x:\n  x: 1'],
    ['{{quote values.name}}', '"Shop & Co"'],
    ['{{quote values.n}}', '"3"'],
    ['{{default "d" values.empty}} {{default "d" values.missing}} {{default "d" values.n}}', 'd d 3'],
    ['{{required "need n" values.n}}', '3'],
    ['{{b64enc "hello"}}', 'aGVsbG8='],
    ['{{sha256 "hello"}}', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
    ['{{#if (eq values.n 3)}}three{{/if}}{{#if (ne values.n 3)}}other{{/if}}', 'three'],
    ['{{#if (and values.n values.list)}}both{{/if}}{{#if (or values.empty values.n)}} either{{/if}}{{#if (not values.empty)}} none{{/if}}', 'both either none'],
    ['{{lower "AbC"}} {{upper "AbC"}} {{trunc 3 "abcdef"}} {{trunc -2 "abcdef"}}', 'abc ABC abc ef'],
    ['{{values.name}}', 'Shop & Co'],
    ['v: {{toYaml values.yes}}', 'v: "yes"'],
  ])('%s', (source, expected) => {
    expect(render(source, { values })).toBe(expected);
  });

  it('include renders a partial with a context, so its output can be indented', () => {
    const partials = [{ path: 'chart/templates/_labels.yaml', source: 'app: {{project}}\nrel: {{release}}' }];
    expect(render('labels:{{nindent 2 (include "labels" this)}}', { project: 'p', release: 'r' }, partials)).toBe('labels:\n  app: p\n  rel: r');
    expect(render('{{> labels}}', { project: 'p', release: 'r' }, partials)).toBe('app: p\nrel: r');
  });

  it('has no access to the environment, clock or files', () => {
    for (const helper of ['env', 'now', 'randAlphaNum', 'readFile', 'log']) {
      expect(renderError(`{{${helper} "x"}}`).message).toContain(`"${helper}" is not defined`);
    }
  });
});

describe('template errors', () => {
  it('a missing value names the template line', () => {
    const err = renderError('a: 1\nb: {{values.nope}}\n', { values: {} });
    expect([err.file, err.line, err.message]).toEqual(['chart/templates/t.yaml', 2, '"values.nope" is not defined (values has no keys)']);
  });

  it('required fails with its message and line', () => {
    const err = renderError('a: 1\n\nb: {{required "values.host is required" values.host}}', { values: {} });
    expect([err.line, err.message]).toEqual([3, 'values.host is required']);
  });

  it('a syntax error names the line', () => {
    const err = renderError('a: 1\nb: {{values.x}\n');
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/^template syntax: /);
  });

  it('an error inside a partial names the partial', () => {
    const err = renderError('x: {{include "bad" this}}', { values: {} }, [{ path: 'chart/templates/_bad.yaml', source: '\n{{values.gone}}' }]);
    expect([err.file, err.line]).toEqual(['chart/templates/_bad.yaml', 2]);
  });

  it('include of an unknown partial is an error', () => {
    expect(renderError('{{include "nope" this}}').message).toContain('no partial named "nope"');
  });
});

describe('strict paths everywhere (a missing value is never an empty string)', () => {
  const context = { values: { db: { port: 5432 }, list: [{ name: 'a' }], replicas: 0, n: 3 }, images: { web: { ref: 'r', repo: 'p', tag: 't', digest: 'd' } } };
  it.each([
    ['{{quote values.typo}}', '"values.typo" is not defined'],
    ['{{toYaml values.nope}}', '"values.nope" is not defined'],
    ['{{b64enc values.secretTypo}}', '"values.secretTypo" is not defined'],
    ['{{#if values.nope}}x{{/if}}', '"values.nope" is not defined'],
    ['{{#each values.nope}}x{{/each}}', '"values.nope" is not defined'],
    ['{{#with values.nope}}x{{/with}}', '"values.nope" is not defined'],
    ['{{quote images.web.reff}}', '"images.web.reff" is not defined (images.web has ref, repo, tag, digest)'],
    ['{{quote images.api.ref}}', 'no image named "api" (images has web)'],
    ['{{quote (lower values.typo)}}', '"values.typo" is not defined'],
    ['{{values.n.x}}', '"values.n.x" is not defined (values.n is a number, not a map)'],
    ['{{default 1 values.db.host.name}}', '"values.db.host" is not defined'],
    ['{{#each values.list}}{{quote this.nme}}{{/each}}', '"nme" is not defined'],
    ['{{#each values.list as |item|}}{{quote item.nme}}{{/each}}', '"item.nme" is not defined'],
    ['{{quote @root.values.typo}}', '"@root.values.typo" is not defined'],
    ['{{quote valuez.x}}', '"valuez" is not defined'],
    ['{{toYaml values.__proto__}}', '"values.__proto__" is not defined'],
    ['{{quote values.constructor}}', '"values.constructor" is not defined'],
  ])('%s fails at its line with the path', (source, message) => {
    const err = renderError(`a: 1\nb: ${source}`, context);
    expect(err.line).toBe(2);
    expect(err.message.startsWith(message), err.message).toBe(true);
  });

  it.each([
    ['{{default 1 values.replicas}}', '1'],
    ['{{default 2 values.missing}}', '2'],
    ['{{#if (hasKey values "db")}}y{{/if}}{{#if (hasKey values "no")}}n{{/if}}', 'y'],
    ['{{#if (empty values.missing)}}empty{{/if}}', 'empty'],
    ['{{coalesce values.missing values.db.port}}', '5432'],
    ['{{#each values.list}}{{name}}{{/each}}', 'a'],
    ['{{#each values.list as |item|}}{{item.name}}{{@index}}{{/each}}', 'a0'],
    ['{{#with values.db}}{{port}} {{../values.n}}{{/with}}', '5432 3'],
    ['{{toJson 1e10}}', '10000000000'],
    ['{{quote values.list.[0].name}}', '"a"'],
  ])('%s is allowed', (source, expected) => {
    expect(render(source, context)).toBe(expected);
  });

  it('a missing value inside a partial is located in the partial', () => {
    const err = renderError('{{include "p" values}}', context, [{ path: 'chart/templates/_p.yaml', source: 'x\n{{quote typo}}' }]);
    expect(err.file).toBe('chart/templates/_p.yaml');
    expect(err.line).toBe(2);
    expect(err.message).toContain('"typo" is not defined');
  });
});

describe('render work is bounded', () => {
  it('exponentially nested partials stop at the call budget with a located error', () => {
    const partials = Array.from({ length: 30 }, (_, i) => ({ path: `chart/templates/_p${i}.yaml`, source: i === 29 ? 'x' : `{{> p${i + 1}}}{{> p${i + 1}}}` }));
    const err = renderError('{{> p0}}', {}, partials);
    expect(err.message).toMatch(/render budget exceeded: more than 20000/);
  });

  it('a partial that includes itself is an error, not a hang', () => {
    const err = renderError('{{include "loop" this}}', {}, [{ path: 'chart/templates/_loop.yaml', source: '{{include "loop" this}}' }]);
    expect(err.message).toMatch(/partials nested more than 64 deep/);
  });

  it('output beyond the byte budget is an error', () => {
    const big = { path: 'chart/templates/_big.yaml', source: 'x'.repeat(1024) };
    expect(() => createEnvironment([big], { budget: { calls: 100_000, outputBytes: 4096 } }).render({ path: 'chart/templates/t.yaml', source: '{{> big}}{{> big}}{{> big}}{{> big}}{{> big}}' }, {})).toThrow(/more than 0\.00390625 MB|render budget exceeded/);
  });
});
