import { describe, expect, it } from 'vitest';
import { dnsLabel, isDockerfile, planInit } from './init-plan.js';

const SHOP = [
  { path: 'services/api/Dockerfile', text: 'ARG BASE=busybox:stable\nFROM ${BASE} AS build\nRUN true\nFROM ${BASE} AS runtime\nEXPOSE 8080\n' },
  { path: 'services/api/Dockerfile.migrate', text: 'ARG API_IMAGE\nFROM ${API_IMAGE}\nCOPY migrations/ /m/\n' },
  { path: 'services/worker/Dockerfile', text: 'FROM busybox:stable\nCOPY --from=api /a /a\n' },
];

describe('planInit', () => {
  it('one image per Dockerfile: names, targets, ports, dependencies and kinds', () => {
    const plan = planInit('My Shop', SHOP);
    expect(plan.project).toBe('my-shop');
    expect(plan.images).toEqual([
      { name: 'api', context: 'services/api', target: 'runtime', port: 8080, kind: 'service', dependencies: [] },
      { name: 'migrate', context: 'services/api', dockerfile: 'Dockerfile.migrate', kind: 'job', dependencies: [{ arg: 'API_IMAGE', image: 'api' }] },
      { name: 'worker', context: 'services/worker', kind: 'worker', dependencies: [] },
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('--image renames; a dependency follows the directory; unusable Dockerfiles are left out with why', () => {
    const plan = planInit('shop', [...SHOP, { path: 'tools/Dockerfile', text: 'ARG BASE\nFROM ${BASE}\n' }, { path: 'broken/Dockerfile', text: 'RUN x\n' }], { backend: 'services/api' });
    expect(plan.images.map((i) => i.name)).toEqual(['backend', 'migrate', 'worker']);
    expect(plan.images[1]!.dependencies).toEqual([{ arg: 'API_IMAGE', image: 'backend' }]);
    expect(plan.skipped.map((s) => s.path).sort()).toEqual(['broken/Dockerfile', 'tools/Dockerfile']);
  });

  it('recognises Dockerfile names and makes DNS labels', () => {
    expect(['Dockerfile', 'Dockerfile.dev', 'api.Dockerfile'].every(isDockerfile)).toBe(true);
    expect(['Dockerfile.', 'dockerfile', 'Dockerfile.dev.bak', 'README.md'].some(isDockerfile)).toBe(false);
    expect(dnsLabel('My_App!')).toBe('my-app');
    expect(dnsLabel('---')).toBe('app');
  });

  it('keeps the letters of accented names rather than dropping them', () => {
    expect(dnsLabel('ünï')).toBe('uni');
    expect(dnsLabel('Café Crème')).toBe('cafe-creme');
    expect(dnsLabel('ﬁle')).toBe('file');
    expect(dnsLabel('日本')).toBe('app');
  });
});
