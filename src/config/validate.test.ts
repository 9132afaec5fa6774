// The run-time validator against the zod schema it mirrors: the same verdict on every config of
// the corpus, the same defaults on the valid ones, and every problem found at once.
import { describe, expect, it } from 'vitest';
import { configSchema } from './schema.js';
import { validateConfig } from './validate.js';

const corpus: unknown[] = [
  { project: 'app' },
  { project: 'app', repo: '127.0.0.1:5000/shop', images: { web: {} } },
  { project: 'app', images: { web: { context: 'svc/web', dockerfile: 'Dockerfile.prod', target: 'runtime', args: { A: '1', N: 2, B: true }, platform: 'linux/arm64/v8', repo: 'r.example.com/x/web' } } },
  { project: 'app', images: { web: {}, api: { dependencies: [{ image: 'web', arg: 'WEB_IMAGE' }] } }, deploy: { chart: 'charts/app', release: 'r1', namespace: 'ns-1' } },
  { project: 'app', deploy: {} },
  // invalid
  {},
  { project: 'My App' },
  { project: 'a'.repeat(64) },
  { project: 'app', extra: 1 },
  { project: 'app', repo: 'https://registry' },
  { project: 'app', images: [] },
  { project: 'app', images: { Web_1: {} } },
  { project: 'app', images: { web: { contxt: '.' } } },
  { project: 'app', images: { web: { context: '/abs' } } },
  { project: 'app', images: { web: { context: '' } } },
  { project: 'app', images: { web: { args: ['A'] } } },
  { project: 'app', images: { web: { args: { '1X': 'a' } } } },
  { project: 'app', images: { web: { args: { A: null } } } },
  { project: 'app', images: { web: { args: { A: { b: 1 } } } } },
  { project: 'app', images: { web: { platform: 'amd64' } } },
  { project: 'app', images: { web: { target: '' } } },
  { project: 'app', images: { web: { dependencies: [{ image: 'api' }] } } },
  { project: 'app', images: { web: { dependencies: [{ image: 'API', arg: 'X' }] } } },
  { project: 'app', images: { web: { dependencies: [{ image: 'api', arg: '1X', extra: 1 }] } } },
  { project: 'app', images: { web: { dependencies: 'api' } } },
  { project: 'app', images: { web: 'x' } },
  { project: 'app', deploy: { chart: '/abs', release: 'Bad', nope: 1 } },
  { project: 5 },
  { project: 'app', images: { web: null } },
];

describe('validateConfig agrees with the zod schema', () => {
  it.each(corpus.map((c) => [JSON.stringify(c), c]))('%s', (_text, config) => {
    const zod = configSchema.safeParse(config);
    const ours = validateConfig(config);
    expect(ours.config !== undefined, JSON.stringify(ours.issues)).toBe(zod.success);
    if (zod.success) expect(ours.config).toEqual(zod.data);
    else expect(ours.issues.length).toBeGreaterThan(0);
  });

  it('reports every problem at once, each with its path', () => {
    const { issues } = validateConfig({ project: 'My App', imagez: {}, images: { Web_1: { contxt: '.', platform: 'amd64' } } });
    expect(issues.map((i) => `${i.kind} ${i.path.join('.')}${'key' in i ? ` ${i.key}` : ''}`)).toEqual([
      'unknown-key  imagez',
      'invalid project',
      'invalid-key images Web_1',
      'unknown-key images.Web_1 contxt',
      'invalid images.Web_1.platform',
    ]);
  });

  it('keeps user keys as data: a build arg named __proto__ does not reach a prototype', () => {
    const { config } = validateConfig({ project: 'app', images: { web: { args: JSON.parse('{"__proto__": "x"}') } } });
    expect(Object.getPrototypeOf(config!.images.web!.args)).toBeNull();
    expect(config!.images.web!.args.__proto__).toBe('x');
  });
});
