// Object lifecycle as on a real cluster: graceful pod deletion (Terminating, grace periods,
// --force), namespaces that terminate while the namespace controller empties them, and the
// ServiceAccount and root CA ConfigMap every new namespace gets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubesim, type RunningKubesim } from '../src/testing.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startKubesim();
});
afterAll(async () => sim?.stop());

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const NAMESPACE_FIRST = `apiVersion: v1
kind: Namespace
metadata: {name: short-lived}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: short-lived}
data: {a: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: short-lived}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: busybox}]}
`;

describe('namespaces', () => {
  it('a new namespace gets the default ServiceAccount and kube-root-ca.crt, written by the controller manager', async () => {
    expect(sim.kubectl(['create', 'namespace', 'fresh']).code).toBe(0);
    await until(() => sim.kubectl(['-n', 'fresh', 'get', 'configmap', 'kube-root-ca.crt']).code === 0, 'kube-root-ca.crt');
    const cm = JSON.parse(sim.kubectl(['-n', 'fresh', 'get', 'configmap', 'kube-root-ca.crt', '-o', 'json', '--show-managed-fields']).stdout);
    expect(cm.data['ca.crt']).toBe(sim.ca);
    expect(cm.metadata.annotations['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);
    expect(cm.metadata.managedFields[0]).toMatchObject({ manager: 'kube-controller-manager', operation: 'Update' });
    expect(sim.kubectl(['-n', 'fresh', 'get', 'serviceaccount', 'default', '-o', 'name']).stdout).toBe('serviceaccount/default\n');
    expect(JSON.parse(sim.kubectl(['get', 'namespace', 'fresh', '-o', 'json']).stdout).spec).toEqual({ finalizers: ['kubernetes'] });
  });

  it('kubectl delete -f of a file that starts with its Namespace exits 0; the namespace terminates, then goes', async () => {
    expect(sim.kubectl(['apply', '-f', '-'], { input: NAMESPACE_FIRST }).code).toBe(0);
    // Content with a finalizer keeps the namespace Terminating until it is let go: no race with the clock.
    const hold = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hold', namespace: 'short-lived', finalizers: ['example.com/hold'] } };
    expect(sim.kubectl(['create', '-f', '-'], { input: JSON.stringify(hold) }).code).toBe(0);
    const deleted = sim.kubectl(['delete', '--wait=false', '-f', '-'], { input: NAMESPACE_FIRST });
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('namespace "short-lived" deleted\nconfigmap "settings" deleted\ndeployment.apps "web" deleted\n');
    const ns = JSON.parse(sim.kubectl(['get', 'namespace', 'short-lived', '-o', 'json']).stdout);
    expect(ns.status.phase).toBe('Terminating');
    expect(ns.metadata.deletionTimestamp).toBeTruthy();
    const refused = sim.kubectl(['-n', 'short-lived', 'create', 'configmap', 'late']);
    expect(refused.stderr).toContain('configmaps "late" is forbidden: unable to create new content in namespace short-lived because it is being terminated');
    expect(sim.kubectl(['-n', 'short-lived', 'patch', 'configmap', 'hold', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']).code).toBe(0);
    await until(() => sim.kubectl(['get', 'namespace', 'short-lived']).code === 1, 'the namespace to go');
    expect(sim.kubectl(['apply', '-f', '-'], { input: NAMESPACE_FIRST }).code).toBe(0);
    expect(sim.kubectl(['delete', '-f', '-', '--timeout=20s'], { input: NAMESPACE_FIRST, timeout: 30_000 }).code).toBe(0);
  });

  it('a namespace finalizer of someone else keeps it Terminating until PUT .../finalize clears it', async () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' }, spec: { finalizers: ['kubernetes', 'example.com/hold'] } };
    expect((await sim.call('POST', '/api/v1/namespaces', ns)).status).toBe(201);
    expect(sim.kubectl(['delete', 'namespace', 'held', '--wait=false']).code).toBe(0);
    await until(() => JSON.parse(sim.kubectl(['get', 'namespace', 'held', '-o', 'json']).stdout).spec.finalizers.length === 1, 'the kubernetes finalizer to go');
    const held = JSON.parse(sim.kubectl(['get', 'namespace', 'held', '-o', 'json']).stdout);
    expect(held.status.conditions.find((c: any) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'False', reason: 'ContentRemoved' });
    const finalized = await sim.call('PUT', '/api/v1/namespaces/held/finalize', { ...held, spec: { finalizers: [] } });
    expect(finalized.status).toBe(200);
    await until(() => sim.kubectl(['get', 'namespace', 'held']).code === 1, 'the namespace to go');
  });

  it('default, kube-system and kube-public may not be deleted', () => {
    expect(sim.kubectl(['delete', 'namespace', 'default']).stderr).toContain('namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

describe('graceful pod deletion', () => {
  const pod = (name: string, annotations = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, annotations: {${annotations}}}
spec:
  terminationGracePeriodSeconds: 20
  containers: [{name: app, image: busybox}]
`;

  it('a scheduled pod is Terminating for its grace period while its containers stop, then goes; --force removes it at once', async () => {
    expect(sim.kubectl(['apply', '-f', '-'], { input: pod('slow', 'kubesim.dev/stop-after: "30"') }).code).toBe(0);
    await until(() => sim.kubectl(['get', 'pod', 'slow', '-o', 'jsonpath={.spec.nodeName}']).stdout !== '', 'scheduling');
    expect(sim.kubectl(['delete', 'pod', 'slow', '--wait=false']).code).toBe(0);
    const terminating = JSON.parse(sim.kubectl(['get', 'pod', 'slow', '-o', 'json']).stdout);
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(20);
    expect(Date.parse(terminating.metadata.deletionTimestamp) - Date.now()).toBeGreaterThan(15_000);
    expect(sim.kubectl(['get', 'pod', 'slow', '--no-headers']).stdout).toMatch(/^slow\s+\S+\s+Terminating\s/);
    // A shorter grace period moves the deadline earlier.
    expect(sim.kubectl(['delete', 'pod', 'slow', '--wait=false', '--grace-period=5']).code).toBe(0);
    expect(JSON.parse(sim.kubectl(['get', 'pod', 'slow', '-o', 'json']).stdout).metadata.deletionGracePeriodSeconds).toBe(5);
    const forced = sim.kubectl(['delete', 'pod', 'slow', '--grace-period=0', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(sim.kubectl(['get', 'pod', 'slow']).code).toBe(1);

    expect(sim.kubectl(['apply', '-f', '-'], { input: pod('quick') }).code).toBe(0);
    await until(() => sim.kubectl(['get', 'pod', 'quick', '-o', 'jsonpath={.spec.nodeName}']).stdout !== '', 'scheduling');
    expect(sim.kubectl(['delete', 'pod', 'quick', '--timeout=10s']).code).toBe(0);
    expect(sim.kubectl(['get', 'pod', 'quick']).code).toBe(1);
  });

  it('an unscheduled pod goes at once', () => {
    expect(sim.kubectl(['apply', '-f', '-'], { input: pod('nowhere', 'kubesim.dev/unschedulable: "true"') }).code).toBe(0);
    expect(sim.kubectl(['delete', 'pod', 'nowhere', '--wait=false']).code).toBe(0);
    expect(sim.kubectl(['get', 'pod', 'nowhere']).code).toBe(1);
  });
});
