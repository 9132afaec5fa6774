import { describe, expect, it } from 'vitest';
import { formatIssue } from '../errors.js';
import { loadConfig, type ProjectFiles } from './load.js';

const files: ProjectFiles = {
  isFile: (p) => ['Dockerfile', 'svc/Dockerfile', 'svc/Dockerfile.migrate'].includes(p),
  isDir: (p) => ['.', 'svc'].includes(p),
};
const problems = (text: string) => loadConfig(text, files).issues.map(formatIssue);

describe('loadConfig', () => {
  it('applies defaults', () => {
    const { config, issues } = loadConfig('project: shop\nimages:\n  api: {}\n', files);
    expect(issues).toEqual([]);
    expect(config!.images.api).toEqual({ context: '.', dockerfile: 'Dockerfile', args: {}, platform: 'linux/amd64', dependencies: [] });
    expect(config!.deploy.chart).toBe('deploy');
  });

  it('turns numeric and boolean build args into strings', () => {
    const { config } = loadConfig('project: shop\nimages:\n  api:\n    args: { V: 1, B: true }\n', files);
    expect(config!.images.api!.args).toEqual({ V: '1', B: 'true' });
  });

  it('reports every problem at once, located', () => {
    const text = [
      'project: Shop', // 1
      'repo: "http://x"', // 2
      'images:', // 3
      '  api:', // 4
      '    contxt: svc', // 5
      '    platform: linux', // 6
      '  worker:', // 7
      '    context: svc', // 8
      '    dockerfile: Nope', // 9
    ].join('\n');
    expect(problems(text)).toEqual([
      "slipway.yaml:1:10: project: project must be lowercase letters, digits and '-' (not at the ends)",
      'slipway.yaml:2:7: repo: must be REGISTRY[/PATH] in lowercase, e.g. registry.example.com/shop or 127.0.0.1:5000/shop',
      'slipway.yaml:5:5: images.api.contxt: unknown key "contxt"',
      'slipway.yaml:6:15: images.api.platform: must be os/arch[/variant], e.g. linux/amd64',
    ]);
  });

  it('checks files and dependencies against the commit once the shape is valid', () => {
    const text = [
      'project: shop',
      'images:',
      '  api:',
      '    dockerfile: Nope',
      '  worker:',
      '    context: missing',
      '  migrate:',
      '    context: svc',
      '    dockerfile: Dockerfile.migrate',
      '    dependencies:',
      '      - image: apii',
      '        arg: API',
      '      - image: migrate',
      '        arg: API',
    ].join('\n');
    expect(problems(text)).toEqual([
      'slipway.yaml:4:17: images.api.dockerfile: Dockerfile "Nope" is not in the commit',
      'slipway.yaml:6:14: images.worker.context: context directory "missing" is not in the commit',
      'slipway.yaml:11:16: images.migrate.dependencies.0.image: unknown image "apii" (images: api, worker, migrate)',
      'slipway.yaml:13:16: images.migrate.dependencies.1.image: image "migrate" cannot depend on itself',
      'slipway.yaml:14:14: images.migrate.dependencies.1.arg: build arg "API" receives two images',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    expect(problems('project: a\n  images: [\n')[0]).toMatch(/^slipway\.yaml:1:10: Nested mappings are not allowed/);
    expect(problems('project: a\nimages: [\n')[0]).toMatch(/^slipway\.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]$/);
    expect(problems('project: a\nproject: b\n')[0]).toMatch(/^slipway\.yaml:2:1: Map keys must be unique/);
  });

  it('names a missing required key at its parent', () => {
    expect(problems('repo: r.example.com/x\n')).toEqual(['slipway.yaml:1:1: project: required key "project" is missing']);
    expect(problems('')).toEqual(['slipway.yaml:1:1: must be a mapping with at least "project"']);
  });
});
