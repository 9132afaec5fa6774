// Deploy (issue 9) end to end: the built CLI against a kubesim with the docker kubelet (pods of
// examples/shop really run), the stack's Docker engine and registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKubesim } from './helpers/kubesim.js';
import { change, exampleRepo, resourceVersions, run, startCluster, uniqueRepo, watchOrder } from './helpers/deploy-fixture.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startCluster('docker');
});
afterAll(() => sim?.stop());

describe('converge examples/shop', () => {
  it('applies in weight order and tracks to ready; images pinned by manifest digest; a second run writes nothing', async () => {
    const repo = uniqueRepo('shop');
    const project = exampleRepo('shop');
    const ns = 'shop-order';
    const watch = watchOrder(sim, [`/apis/batch/v1/namespaces/${ns}/jobs`, `/apis/apps/v1/namespaces/${ns}/deployments`, `/apis/apps/v1/namespaces/${ns}/statefulsets`]);
    const first = await run(sim, project, ['converge', '--namespace', ns, '--repo', repo, '--output', 'json', '--timeout', '90s']);
    watch.stop();
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.resources.map((r: { status: string }) => r.status)).toEqual(first.json.resources.map(() => 'ready'));
    expect(first.json.revision).toBe(1);
    // The weight -1 Job was created and complete before any weight 0 workload was created.
    const firstWorkload = watch.events.findIndex((e) => e.kind !== 'Job' && e.type === 'ADDED');
    const jobComplete = watch.events.findIndex((e) => e.kind === 'Job' && e.complete);
    expect(jobComplete).toBeGreaterThanOrEqual(0);
    expect(firstWorkload).toBeGreaterThan(jobComplete);

    const images = sim.kubectl(['get', 'deploy,statefulset', '-n', ns, '-o', 'jsonpath={.items[*].spec.template.spec.containers[*].image}']).stdout.split(' ');
    for (const image of images) expect(image).toMatch(new RegExp(`^${repo.replace(/\./g, '\\.')}/(api|worker):[0-9a-f]{64}@sha256:[0-9a-f]{64}$`));
    const ready = sim.kubectl(['get', 'deploy', '-n', ns, '-o', 'jsonpath={range .items[*]}{.status.readyReplicas}/{.spec.replicas} {end}']).stdout.trim().split(' ');
    for (const r of ready) expect(r).toMatch(/^(\d+)\/\1$/);

    const before = resourceVersions(sim, ns);
    const second = await run(sim, project, ['converge', '--namespace', ns, '--repo', repo, '--output', 'json']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json.images.every((i: { built: boolean }) => !i.built)).toBe(true);
    expect(second.json.resources.every((r: { action: string }) => r.action === 'unchanged')).toBe(true);
    const after = resourceVersions(sim, ns);
    // Only the release records (Secrets) are new; every applied object kept its resourceVersion.
    for (const [k, rv] of Object.entries(before)) if (!k.startsWith('Secret/slipway.release.')) expect(after[k], k).toBe(rv);
  });
});

const CM_CHART = (labels: string, data: string) => ({
  'deploy/templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  labels:\n${labels}data:\n${data}`,
});

describe('drift, prune and validation', () => {
  it('hand edits to managed fields are reverted; fields of other managers stay; a label no longer rendered is removed', async () => {
    const project = exampleRepo('hello', CM_CHART('    team.example.com/owner: web\n    tier: front\n', '  a.b: "1"\n'));
    const ns = 'drift';
    const args = ['converge', '--namespace', ns, '--repo', uniqueRepo('hello')];
    const initial = await run(sim, project, args);
    expect(initial.code, initial.stderr).toBe(0);
    expect(sim.kubectl(['scale', 'deploy/hello', '-n', ns, '--replicas=3']).code).toBe(0);
    expect(sim.kubectl(['set', 'image', 'deploy/hello', '-n', ns, 'web=127.0.0.1:5000/nowhere:1']).code).toBe(0);
    expect(sim.kubectl(['label', 'cm/settings', '-n', ns, 'tier=back', '--overwrite']).code).toBe(0);
    expect(sim.kubectl(['annotate', 'cm/settings', '-n', ns, 'someone.example.com/note=keep']).code).toBe(0);
    change(project, CM_CHART('    tier: front\n', '  a.b: "1"\n'));
    const again = await run(sim, project, [...args, '--output', 'json']);
    expect(again.code, again.stderr).toBe(0);
    const deploy = JSON.parse(sim.kubectl(['get', 'deploy/hello', '-n', ns, '-o', 'json']).stdout);
    expect(deploy.spec.replicas).toBe(1);
    expect(deploy.spec.template.spec.containers[0].image).toMatch(/@sha256:/);
    const cm = JSON.parse(sim.kubectl(['get', 'cm/settings', '-n', ns, '-o', 'json']).stdout);
    expect(cm.metadata.labels.tier).toBe('front');
    expect(cm.metadata.labels['team.example.com/owner']).toBeUndefined();
    expect(cm.metadata.annotations['someone.example.com/note']).toBe('keep');
    expect(cm.data).toEqual({ 'a.b': '1' });
  });

  it('a removed template is pruned after a successful deploy, never after a failed one', async () => {
    const project = exampleRepo('hello', CM_CHART('    x: z\n', '  k: v\n'));
    const ns = 'prune';
    const args = ['converge', '--namespace', ns, '--repo', uniqueRepo('hello'), '--timeout', '60s'];
    const initial = await run(sim, project, args);
    expect(initial.code, initial.stderr).toBe(0);
    // A failing deploy (an image that does not exist) that also drops the ConfigMap template.
    const broken = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\nspec:\n  selector:\n    matchLabels: {app: broken}\n  template:\n    metadata:\n      labels: {app: broken}\n    spec:\n      containers: [{name: c, image: "127.0.0.1:5000/missing/image:1"}]\n';
    change(project, { 'deploy/templates/cm.yaml': null, 'deploy/templates/broken.yaml': broken });
    const failed = await run(sim, project, args);
    expect(failed.code, failed.stderr).toBe(1);
    expect(sim.kubectl(['get', 'cm/settings', '-n', ns]).code).toBe(0);
    change(project, { 'deploy/templates/broken.yaml': null });
    const ok = await run(sim, project, args);
    expect(ok.code, ok.stderr).toBe(0);
    // Both the ConfigMap and what the failed revision applied are gone.
    expect(sim.kubectl(['get', 'cm/settings', '-n', ns]).code).not.toBe(0);
    expect(sim.kubectl(['get', 'deploy/broken', '-n', ns]).code).not.toBe(0);
    expect(sim.kubectl(['get', 'deploy/hello', '-n', ns]).code).toBe(0);
  });

  it('an object the server rejects (422) is exit 2 naming the template, and nothing is written', async () => {
    const bad = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: b}\n    spec:\n      containers: [{name: c, image: busybox:stable}]\n';
    const project = exampleRepo('hello', { 'deploy/templates/zz-bad.yaml': bad });
    const r = await run(sim, project, ['converge', '--namespace', 'invalid', '--repo', uniqueRepo('hello')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('deploy/templates/zz-bad.yaml');
    expect(r.stderr).toMatch(/selector/);
    expect(r.stderr).toMatch(/\nhint: /);
    // Only what the controller manager puts in every namespace (kube-root-ca.crt) can be there
    // (the namespace may already be terminating, its contents going).
    const left = sim.kubectl(['get', 'deploy,cm,svc,secret', '-n', 'invalid', '-o', 'name']);
    expect(left.stdout.split('\n').filter((l) => l && l !== 'configmap/kube-root-ca.crt')).toEqual([]);
    // The namespace this run created for it goes too.
    await expect.poll(() => sim.kubectl(['get', 'ns', 'invalid']).code, { timeout: 10_000 }).not.toBe(0);
  });

  it('a release namespace still being deleted is waited for, then created again (not a 403 mistaken for RBAC)', async () => {
    const ns = 'terminating';
    expect(sim.kubectl(['create', 'namespace', ns]).code).toBe(0);
    // A finalizer nobody removes but this test holds the namespace in Terminating.
    const held = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n';
    expect(sim.kubectl(['apply', '-n', ns, '-f', '-'], { input: held }).code).toBe(0);
    expect(sim.kubectl(['delete', 'namespace', ns, '--wait=false']).code).toBe(0);
    await expect.poll(() => sim.kubectl(['get', 'ns', ns, '-o', 'jsonpath={.status.phase}']).stdout, { timeout: 10_000 }).toBe('Terminating');
    const project = exampleRepo('hello', CM_CHART('    tier: front\n', '  a: "1"\n'));
    const converging = run(sim, project, ['converge', '--namespace', ns, '--repo', uniqueRepo('hello')]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(sim.kubectl(['get', 'ns', ns, '-o', 'jsonpath={.status.phase}']).stdout).toBe('Terminating');
    // plan writes nothing, so it does not wait: the API server's refusal, said for what it is.
    const plan = await run(sim, project, ['plan', '--namespace', ns, '--repo', uniqueRepo('hello')]);
    expect(plan.code, plan.stderr).toBe(3);
    expect(plan.stderr).toContain(`hint: the namespace is being deleted; run again once \`kubectl get namespace ${ns}\` finds nothing`);
    expect(sim.kubectl(['patch', 'configmap', 'held', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']).code).toBe(0);
    const r = await converging;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`namespace ${ns} is being deleted; waiting for it to go before creating it again`);
    expect(sim.kubectl(['get', 'ns', ns, '-o', 'jsonpath={.status.phase}']).stdout).toBe('Active');
    expect(sim.kubectl(['get', 'cm', 'settings', '-n', ns, '-o', 'jsonpath={.data.a}']).stdout).toBe('1');
  });
});
