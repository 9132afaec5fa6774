// kubesim details slipway's tracker and deploy depend on: pod logs, bookmarks, the status
// subresource and generation, finalizers and deletionTimestamp, orphaning, deletecollection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubesim, type RunningKubesim } from '../src/testing.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startKubesim(['--bookmark-seconds', '1']);
  for (const ns of ['logs', 'gen', 'fin']) expect((await sim.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status).toBe(201);
});
afterAll(async () => sim?.stop());

// Unschedulable: the kubelet leaves these pods alone, so their logs are the test's alone.
const pod = (name: string, containers: string[]) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, annotations: { 'kubesim.dev/unschedulable': 'true' } },
  spec: { containers: containers.map((c) => ({ name: c, image: 'busybox:stable' })) },
});

describe('kubesim semantics', () => {
  it('pods/log: container, tailLines, previous, and errors like the kubelet gives', async () => {
    expect((await sim.call('POST', '/api/v1/namespaces/logs/pods', pod('p', ['app', 'sidecar']))).status).toBe(201);
    await sim.admin('logs', { namespace: 'logs', pod: 'p', container: 'app', lines: ['one', 'two', 'three'] });
    await sim.admin('logs', { namespace: 'logs', pod: 'p', container: 'app', lines: ['crashed: exit 1'], previous: true });
    const log = (q: string) => sim.call('GET', `/api/v1/namespaces/logs/pods/p/log${q}`);
    expect((await log('?container=app')).text).toBe('one\ntwo\nthree\n');
    expect((await log('?container=app&tailLines=2')).text).toBe('two\nthree\n');
    expect((await log('?container=app&previous=true')).text).toBe('crashed: exit 1\n');
    expect((await log('')).body).toMatchObject({ code: 400, message: 'a container name must be specified for pod p, choose one of: [app sidecar]' });
    expect((await log('?container=sidecar&previous=true')).body.message).toBe('previous terminated container "sidecar" in pod "p" not found');
    expect((await sim.call('GET', '/api/v1/namespaces/logs/pods/nope/log')).status).toBe(404);
    const r = sim.kubectl(['-n', 'logs', 'logs', 'p', '-c', 'app', '--tail', '1']);
    expect(r.stdout).toBe('three\n');
    expect(sim.kubectl(['-n', 'logs', 'logs', 'p', '-c', 'app', '--previous']).stdout).toBe('crashed: exit 1\n');
  });

  it('follow streams lines as they come', async () => {
    expect((await sim.call('POST', '/api/v1/namespaces/logs/pods', pod('f', ['app']))).status).toBe(201);
    await sim.admin('logs', { namespace: 'logs', pod: 'f', container: 'app', lines: ['first'] });
    const { spawn } = await import('node:child_process');
    const child = spawn('kubectl', ['-n', 'logs', 'logs', '-f', 'f'], { env: { ...process.env, KUBECONFIG: sim.kubeconfig } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    for (let i = 0; i < 100 && !out.includes('first'); i++) await new Promise((r) => setTimeout(r, 50));
    await sim.admin('logs', { namespace: 'logs', pod: 'f', container: 'app', lines: ['second'] });
    for (let i = 0; i < 100 && !out.includes('second'); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill();
    expect(out).toBe('first\nsecond\n');
  });

  it('watch with allowWatchBookmarks gets periodic BOOKMARK events', async () => {
    const r = await sim.call('GET', '/api/v1/namespaces/logs/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=2');
    // Without a resourceVersion the watch starts with the namespace's objects (its kube-root-ca.crt).
    const events = r.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: any });
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'kube-root-ca.crt' } } });
    const rest = events.slice(1);
    expect(rest.length).toBeGreaterThanOrEqual(1);
    expect(rest.every((e) => e.type === 'BOOKMARK' && e.object.kind === 'ConfigMap' && /^\d+$/.test(e.object.metadata.resourceVersion))).toBe(true);
  });

  it('generation moves with spec (and Deployment annotations), not with status or labels; /status writes only status', async () => {
    const base = '/apis/apps/v1/namespaces/gen/deployments';
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'x', image: 'y:1' }] } } } };
    expect((await sim.call('POST', base, d)).body.metadata.generation).toBe(1);
    const merge = (path: string, patch: unknown) => sim.call('PATCH', `${base}/d${path}`, patch, { contentType: 'application/merge-patch+json' });
    expect((await merge('', { metadata: { labels: { x: 'y' } } })).body.metadata.generation).toBe(1);
    expect((await merge('', { metadata: { annotations: { x: 'y' } } })).body.metadata.generation).toBe(2);
    expect((await merge('', { spec: { replicas: 3 } })).body.metadata.generation).toBe(3);
    // /status on a Service (no controller writes it): only status changes there.
    const svc = '/api/v1/namespaces/gen/services';
    await sim.call('POST', svc, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    const smerge = (path: string, patch: unknown) => sim.call('PATCH', `${svc}/s${path}`, patch, { contentType: 'application/merge-patch+json' });
    const ingress = { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } };
    const status = await smerge('/status', { status: ingress, spec: { type: 'ClusterIP' } });
    expect(status.body.spec.type).toBe('LoadBalancer');
    expect(status.body.status).toEqual(ingress);
    // A write to the main resource leaves status alone.
    expect((await smerge('', { status: { loadBalancer: {} } })).body.status).toEqual(ingress);
  });

  it('finalizers hold a deletion with deletionTimestamp; removing the last one completes it', async () => {
    const base = '/api/v1/namespaces/fin/configmaps';
    await sim.call('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const deleting = await sim.call('DELETE', `${base}/held`);
    expect(deleting.body.metadata.deletionTimestamp).toMatch(/Z$/);
    expect((await sim.call('GET', `${base}/held`)).status).toBe(200);
    await sim.call('PATCH', `${base}/held`, [{ op: 'remove', path: '/metadata/finalizers' }], { contentType: 'application/json-patch+json' });
    expect((await sim.call('GET', `${base}/held`)).status).toBe(404);
  });

  it('propagationPolicy=Orphan keeps dependents (without the reference); deletecollection by label', async () => {
    const base = '/api/v1/namespaces/fin/configmaps';
    const owner = await sim.call('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    await sim.call('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'child', labels: { batch: 'x' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.body.metadata.uid }] } });
    const orphaned = await sim.call('DELETE', `${base}/owner`, { propagationPolicy: 'Orphan' });
    expect(orphaned.body, `${orphaned.status} ${orphaned.text}`).toMatchObject({ status: 'Success' });
    await new Promise((r) => setTimeout(r, 100));
    const child = await sim.call('GET', `${base}/child`);
    expect(child.status).toBe(200);
    expect(child.body.metadata.ownerReferences).toBeUndefined();
    await sim.call('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', labels: { batch: 'y' } } });
    expect((await sim.call('DELETE', `${base}?labelSelector=batch%3Dx`)).status).toBe(200);
    const left = await sim.call('GET', base);
    expect(left.body.items.map((i: any) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'other']);
  });

  it('deleting a namespace empties it, then removes it', async () => {
    await sim.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await sim.call('POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const r = sim.kubectl(['delete', 'namespace', 'doomed']);
    expect(r.code, r.stderr).toBe(0);
    expect((await sim.call('GET', '/api/v1/namespaces/doomed')).status).toBe(404);
    expect((await sim.call('GET', '/api/v1/namespaces/doomed/configmaps/c')).status).toBe(404);
  });
});
