// The README's "Porting a Helm chart" examples, rendered: each template must give the output the
// guide shows (as parsed YAML), with the guide's values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createEnvironment } from '../src/render/environment.js';
import { ROOT } from './helpers/cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Porting a Helm chart'), readme.indexOf('## In CI'));
const blocks = [...section.matchAll(/```(\w+)([^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, info: m[2]!.trim(), body: m[3]! }));

describe('README: porting a Helm chart', () => {
  it('has a values block, partials, templates and their outputs', () => {
    expect(blocks.filter((b) => b.info === 'values')).toHaveLength(1);
    expect(blocks.filter((b) => b.lang === 'handlebars' && !b.info).length).toBeGreaterThan(0);
  });

  it('each template renders what the guide says it renders', () => {
    const values = parse(blocks.find((b) => b.info === 'values')!.body) as Record<string, unknown>;
    const partials = blocks.filter((b) => b.info.startsWith('partial=')).map((b) => ({ path: `deploy/templates/_${b.info.slice('partial='.length)}.tpl`, source: b.body }));
    const env = createEnvironment(partials);
    const context = { values, release: { name: 'web', namespace: 'shop' }, project: 'shop', env: '', images: {}, git: { commit: '0'.repeat(40), shortCommit: '0'.repeat(12) } };
    const templates = blocks.filter((b) => b.lang === 'handlebars' && !b.info);
    const outputs = blocks.filter((b) => b.info === 'output');
    expect(outputs).toHaveLength(templates.length);
    templates.forEach((t, i) => {
      const rendered = env.render({ path: 'deploy/templates/guide.yaml', source: t.body }, context);
      expect(parse(rendered)).toEqual(parse(outputs[i]!.body));
    });
  });
});
