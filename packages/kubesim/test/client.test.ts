// kubesim against @kubernetes/client-node (SSA, read, list, delete, Watch, informer) and the
// API semantics and fault-injection modes that slipway's deploy and tracking rely on.
import { KubeConfig, KubernetesObjectApi, makeInformer, PatchStrategy, Watch, CoreV1Api, type KubernetesObject, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubesim, type RunningKubesim } from '../src/testing.js';

let sim: RunningKubesim;
let kc: KubeConfig;
let objects: KubernetesObjectApi;
beforeAll(async () => {
  sim = await startKubesim();
  kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfig);
  objects = KubernetesObjectApi.makeApiClient(kc);
});
afterAll(async () => sim?.stop());

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};
const cm = (namespace: string, name: string, data: Record<string, string> = {}): KubernetesObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});
const namespace = async (name: string) => {
  await objects.patch({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, undefined, undefined, 'test', true, PatchStrategy.ServerSideApply);
};

describe('client-node against kubesim', () => {
  it('KubernetesObjectApi: server-side apply creates and updates; read, list, delete', async () => {
    await namespace('objects');
    const created = await objects.patch(cm('objects', 'app', { a: '1' }), undefined, undefined, 'slipway', true, PatchStrategy.ServerSideApply);
    expect(created.metadata?.managedFields?.[0]).toMatchObject({ manager: 'slipway', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } });
    const same = await objects.patch(cm('objects', 'app', { a: '1' }), undefined, undefined, 'slipway', true, PatchStrategy.ServerSideApply);
    expect(same.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    const changed = await objects.patch(cm('objects', 'app', { b: '2' }), undefined, undefined, 'slipway', true, PatchStrategy.ServerSideApply);
    // `a` was applied before and is no longer: server-side apply removes it.
    expect((changed as V1ConfigMap).data).toEqual({ b: '2' });
    expect(Number(changed.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const read = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'objects' } });
    expect((read as V1ConfigMap).data).toEqual({ b: '2' });
    const list = await objects.list('v1', 'ConfigMap', 'objects');
    // Every namespace also holds the controller manager's kube-root-ca.crt, as on a real cluster.
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['app', 'kube-root-ca.crt']);
    await objects.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'objects' } });
    await expect(objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'objects' } })).rejects.toMatchObject({ code: 404 });
  });

  it('Watch streams changes, and resumes from the last resourceVersion after a dropped connection', async () => {
    await namespace('watch');
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({ namespace: 'watch' });
    const events: string[] = [];
    let rv = list.metadata!.resourceVersion!;
    let ended = 0;
    const watch = new Watch(kc);
    const start = () =>
      watch.watch('/api/v1/namespaces/watch/configmaps', { resourceVersion: rv }, (type, obj) => {
        events.push(`${type} ${obj.metadata.name}`);
        rv = obj.metadata.resourceVersion;
      }, () => ended++);
    let controller = await start();
    await core.createNamespacedConfigMap({ namespace: 'watch', body: cm('watch', 'one') });
    await until(() => events.includes('ADDED one'), 'ADDED one');
    expect((await sim.admin('drop-watches')).dropped).toBeGreaterThanOrEqual(1);
    await until(() => ended === 1, 'the watch to end');
    // Changes made while nobody watches are replayed from history on the next watch.
    await core.createNamespacedConfigMap({ namespace: 'watch', body: cm('watch', 'two') });
    await core.deleteNamespacedConfigMap({ name: 'one', namespace: 'watch' });
    controller = await start();
    await until(() => events.includes('DELETED one'), 'the replayed events');
    expect(events).toEqual(['ADDED one', 'ADDED two', 'DELETED one']);
    controller.abort();
  });

  it('a watch from a compacted resourceVersion gets 410 Expired; an informer re-lists and carries on', async () => {
    await namespace('informer');
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'informer', body: cm('informer', 'before') });
    const old = (await core.listNamespacedConfigMap({ namespace: 'informer' })).metadata!.resourceVersion!;

    const informer = makeInformer(kc, '/api/v1/namespaces/informer/configmaps', () => core.listNamespacedConfigMap({ namespace: 'informer' }));
    const added: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => added.push(o.metadata!.name!));
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    await until(() => added.includes('before'), 'the initial list');

    // History after `old` is forgotten: a watch from `old` can no longer be served.
    await core.createNamespacedConfigMap({ namespace: 'informer', body: cm('informer', 'middle') });
    await until(() => added.includes('middle'), 'the informer to see "middle"');
    await sim.admin('compact');
    const expired: { type: string; obj: any }[] = [];
    await new Promise<void>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/informer/configmaps', { resourceVersion: old }, (type, obj) => expired.push({ type, obj }), () => resolve());
    });
    expect(expired).toEqual([{ type: 'ERROR', obj: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired', message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/) }) }]);

    // The informer's next watch resumes from an expired version: it must re-list to continue.
    await sim.admin('drop-watches');
    await core.createNamespacedConfigMap({ namespace: 'informer', body: cm('informer', 'after') });
    await until(() => added.includes('after'), 'the informer to see "after"');
    expect(errors).toEqual([]);
    expect(informer.list('informer').map((o) => o.metadata!.name).sort()).toEqual(['after', 'before', 'kube-root-ca.crt', 'middle']);
    await informer.stop();
  });

  it('watch-list mode: initial events, then a bookmark marking their end', async () => {
    await namespace('watchlist');
    await objects.patch(cm('watchlist', 'x'), undefined, undefined, 'test', true, PatchStrategy.ServerSideApply);
    const lines: any[] = [];
    await new Promise<void>((resolve) => {
      void new Watch(kc).watch(
        '/api/v1/namespaces/watchlist/configmaps',
        { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true, timeoutSeconds: 1 },
        (type, obj) => lines.push({ type, obj }),
        () => resolve(),
      );
    });
    expect(lines.slice(0, 2).map((l) => `${l.type} ${l.obj.metadata.name}`).sort()).toEqual(['ADDED kube-root-ca.crt', 'ADDED x']);
    expect(lines[2]).toMatchObject({ type: 'BOOKMARK', obj: { kind: 'ConfigMap', metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } } });
    const r = await sim.call('GET', '/api/v1/namespaces/watchlist/configmaps?watch=true&sendInitialEvents=true');
    expect(r.status).toBe(422);
  });
});

describe('API semantics', () => {
  it('create, update and apply errors carry real Status bodies', async () => {
    await namespace('errors');
    const base = '/api/v1/namespaces/errors/configmaps';
    expect((await sim.call('POST', base, cm('errors', 'c'))).status).toBe(201);
    const dup = await sim.call('POST', base, cm('errors', 'c'));
    expect(dup.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409, message: 'configmaps "c" already exists' });
    const stale = await sim.call('PUT', `${base}/c`, { ...cm('errors', 'c'), metadata: { name: 'c', namespace: 'errors', resourceVersion: '1' } });
    expect(stale.body).toMatchObject({ reason: 'Conflict', code: 409, message: 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again' });
    expect((await sim.call('GET', `${base}/nope`)).body).toMatchObject({ reason: 'NotFound', code: 404, message: 'configmaps "nope" not found' });
    expect((await sim.call('POST', '/api/v1/namespaces/missing/configmaps', cm('missing', 'c'))).body).toMatchObject({ code: 404, message: 'namespaces "missing" not found' });
    const invalidName = await sim.call('POST', base, cm('errors', 'Bad_Name'));
    expect(invalidName.body).toMatchObject({ reason: 'Invalid', code: 422, details: { causes: [{ field: 'metadata.name' }] } });
    const apply = (query: string, body: unknown) => sim.call('PATCH', `${base}/applied${query}`, body, { contentType: 'application/apply-patch+yaml' });
    expect((await apply('', cm('errors', 'applied'))).body).toMatchObject({ code: 422, message: expect.stringContaining('fieldManager: Required value: is required for apply patch') });
    expect((await apply('?fieldManager=t', { ...cm('errors', 'applied'), apiVersion: 'v2' })).body).toMatchObject({ code: 400, message: 'Incorrect version specified in apply patch. Specified patch version: v2, expected: v1' });
    expect((await apply('?fieldManager=t', cm('errors', 'applied'))).status).toBe(201);
    expect((await apply('?fieldManager=t', cm('errors', 'applied', { k: 'v' }))).status).toBe(200);
    expect((await sim.call('PATCH', `${base}/c`, '{}', { contentType: 'text/plain' })).status).toBe(415);
  });

  it('dryRun=All validates and answers without storing', async () => {
    await namespace('dry');
    const created = await sim.call('POST', '/api/v1/namespaces/dry/configmaps?dryRun=All', cm('dry', 'ghost'));
    expect(created.status).toBe(201);
    expect(created.body.metadata.resourceVersion).toBeUndefined();
    expect((await sim.call('GET', '/api/v1/namespaces/dry/configmaps/ghost')).status).toBe(404);
    const applied = await sim.call('PATCH', '/apis/apps/v1/namespaces/dry/deployments/d?fieldManager=t&dryRun=All', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'c' } }, spec: { containers: [{ name: 'x', image: 'y' }] } } } }, { contentType: 'application/apply-patch+yaml' });
    expect(applied.body).toMatchObject({ code: 422, message: expect.stringContaining('`selector` does not match template `labels`') });
  });

  it('defaults: Deployment strategy 25%/25%, progressDeadlineSeconds 600, Service ClusterIP', async () => {
    await namespace('defaults');
    const deploy = await objects.patch({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'defaults' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'x', image: 'y:1' }] } } } } as KubernetesObject, undefined, undefined, 't', true, PatchStrategy.ServerSideApply);
    expect((deploy as any).spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(deploy.metadata?.generation).toBe(1);
    const svc = await objects.patch({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'defaults' }, spec: { ports: [{ port: 80 }] } } as KubernetesObject, undefined, undefined, 't', true, PatchStrategy.ServerSideApply);
    expect((svc as any).spec).toMatchObject({ type: 'ClusterIP', clusterIP: expect.stringMatching(/^10\.96\.\d+\.\d+$/), ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
  });
});

describe('fault injection', () => {
  it('fail: the next N requests answer 503, then the API recovers', async () => {
    await sim.admin('fail', { status: 503, count: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await sim.call('GET', '/api/v1/namespaces')).status);
    expect(statuses).toEqual([503, 503, 200]);
    await sim.admin('fail', { status: 503, count: 1 });
    const failed = await sim.call('GET', '/api/v1/namespaces');
    expect(failed.body).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
  });

  it('fail for a time window with 500', async () => {
    await sim.admin('fail', { status: 500, seconds: 0.5 });
    expect((await sim.call('GET', '/api/v1/namespaces')).body).toMatchObject({ reason: 'InternalError', code: 500 });
    await new Promise((r) => setTimeout(r, 700));
    expect((await sim.call('GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('latency delays every API response', async () => {
    await sim.admin('latency', { ms: 400 });
    const started = Date.now();
    expect((await sim.call('GET', '/api/v1/namespaces')).status).toBe(200);
    // A lower bound set by the fault itself, not a speed assertion.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    await sim.admin('clear');
  });

  it('drop-watches ends every open watch', async () => {
    let ended = false;
    const before = (await sim.admin('state')).watches as number;
    await new Watch(kc).watch('/api/v1/namespaces', {}, () => {}, () => (ended = true));
    // Open once the server counts it (not merely "not ended yet").
    for (let i = 0; i < 100 && ((await sim.admin('state')).watches as number) <= before; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await sim.admin('state')).watches).toBeGreaterThan(before);
    expect(ended).toBe(false);
    expect((await sim.admin('drop-watches')).dropped).toBeGreaterThanOrEqual(1);
    await until(() => ended, 'the watch to end');
  });
});
