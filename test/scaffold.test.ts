// examples/scaffold (`helm create` ported): the same objects Helm renders for the original
// scaffold with the same values, and a deploy of both variants to kubesim.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './helpers/cli.js';
import { exampleRepo, run, startCluster } from './helpers/deploy-fixture.js';
import type { RunningKubesim } from './helpers/kubesim.js';
import { stackEnv } from './helpers/stack.js';

type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;

/** slipway's own additions are not part of the comparison: its labels and the namespace it defaults. */
const OWN_LABELS = ['app.kubernetes.io/managed-by', 'slipway.dev/release'];

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'labels' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).filter(([l]) => !OWN_LABELS.includes(l)));
    else out[k] = normalise(v);
  }
  return out;
}

const byId = (objects: Obj[]) =>
  Object.fromEntries(
    objects.map((o) => {
      const { namespace: _ns, ...metadata } = o.metadata;
      return [`${o.kind}/${o.metadata.name}`, normalise({ ...o, metadata })];
    }),
  );

const helmObjects = (file: string) =>
  parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/scaffold', file), 'utf8'))
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);

describe('examples/scaffold: helm create, ported', () => {
  let sim: RunningKubesim;
  /** The scaffold deploys nginx; kubesim's kubelet pulls from the stack's registry, so the deploy test points the image there. */
  let image: string[];
  beforeAll(async () => {
    sim = await startCluster('fake');
    const repository = `${stackEnv().SLIPWAY_TEST_REGISTRY}/scaffold/web`;
    const env = { ...process.env, DOCKER_HOST: stackEnv().DOCKER_HOST };
    execFileSync('docker', ['tag', 'busybox:stable', `${repository}:stable`], { env });
    execFileSync('docker', ['push', '-q', `${repository}:stable`], { env });
    image = ['--set', `image.repository=${repository}`, '--set', 'image.tag=stable'];
  }, 120_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it.each([
    ['default values', [], 'helm-default.yaml'],
    ['Ingress, HPA, extra labels and a name override', ['--env', 'full'], 'helm-full.yaml'],
  ])('renders the objects Helm renders for the scaffold: %s', async (_what, args, fixture) => {
    const project = exampleRepo('scaffold');
    const r = await run(sim, project, ['render', '--release', 'demo', '--output', 'json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    expect(byId(r.json.manifests as Obj[])).toEqual(byId(helmObjects(fixture)));
  });

  it('deploys both variants to the cluster', async () => {
    const project = exampleRepo('scaffold');
    const plain = await run(sim, project, ['converge', '--release', 'demo', '--namespace', 'scaffold', '--timeout', '60s', ...image]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(sim.kubectl(['get', 'deployment/demo-scaffold', 'service/demo-scaffold', 'serviceaccount/demo-scaffold', '-n', 'scaffold', '-o', 'name']).code).toBe(0);

    const full = await run(sim, project, ['converge', '--release', 'demo', '--env', 'full', '--namespace', 'scaffold-full', '--timeout', '60s', ...image]);
    expect(full.code, full.stderr).toBe(0);
    const hpa = sim.kubectl(['get', 'hpa/demo-site', '-n', 'scaffold-full', '-o', 'json']);
    expect(hpa.code, hpa.stderr).toBe(0);
    expect(JSON.parse(hpa.stdout).spec.maxReplicas).toBe(5);
    expect(sim.kubectl(['get', 'ingress/demo-site', '-n', 'scaffold-full', '-o', 'jsonpath={.spec.rules[0].host}']).stdout).toBe('site.example.com');
    expect(sim.kubectl(['get', 'pods', '-n', 'scaffold-full', '-l', 'team=web', '-o', 'name']).stdout).toMatch(/^pod\/demo-site-/m);
  }, 120_000);
});
