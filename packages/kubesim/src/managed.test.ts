// Server-side apply against recorded real documents: the FieldsV1 bytes below were written by real
// API servers (captures found in public repositories: a Pepr admission log, kube-scheduler-simulator
// fixtures, a `kubectl get pod -o json` after `kubectl apply --server-side`).
import { describe, expect, it } from 'vitest';
import { recordUpdate, serverSideApply } from './managed.js';
import { rootType } from './schema.js';

const CM = rootType('', 'v1', 'ConfigMap');
const at = { now: '2026-01-01T00:00:00Z', force: false };
const apply = (live: any, config: any, manager: string, type = CM, force = false) =>
  serverSideApply(live, config, type, { manager, force, apiVersion: config.apiVersion, now: at.now, identity: 'ns/x; /v1, Kind=ConfigMap' });
const fieldsOf = (obj: any, manager: string) => JSON.stringify(obj.metadata.managedFields.find((e: any) => e.manager === manager).fieldsV1);

describe('FieldsV1 as a real API server writes it', () => {
  it('ConfigMap data and a label with a slash (Pepr capture)', () => {
    const out = apply(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fail-namespace', namespace: 'prohibited', labels: { 'test-transient/validate': '1707757052468' } }, data: { pass: 'yep' } }, 'pepr');
    expect(fieldsOf(out, 'pepr')).toBe('{"f:data":{"f:pass":{}},"f:metadata":{"f:labels":{"f:test-transient/validate":{}}}}');
  });

  it('a PersistentVolume: atomic lists and granular maps (kube-scheduler-simulator capture)', () => {
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/data', type: 'DirectoryOrCreate' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', volumeMode: 'Filesystem' } };
    const out = apply(undefined, pv, 'simulator', rootType('', 'v1', 'PersistentVolume'));
    expect(fieldsOf(out, 'simulator')).toBe('{"f:spec":{"f:accessModes":{},"f:capacity":{"f:storage":{}},"f:hostPath":{"f:path":{},"f:type":{}},"f:persistentVolumeReclaimPolicy":{},"f:volumeMode":{}}}');
  });

  it('a Pod applied by kubectl: containers keyed by name, `.` for the item, resources {} a leaf', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: null, labels: { run: 'nginx' }, name: 'nginx', namespace: 'default' }, spec: { containers: [{ image: 'nginx', name: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Never' }, status: {} };
    const out = apply(undefined, pod, 'kubectl', rootType('', 'v1', 'Pod'));
    expect(fieldsOf(out, 'kubectl')).toBe('{"f:metadata":{"f:labels":{"f:run":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{}}},"f:dnsPolicy":{},"f:restartPolicy":{}}}');
  });

  // The capture's claimRef is `{}` (atomic in 2021); Kubernetes 1.35's schema marks it granular.
  it('an Update records `.` for maps and structs it added (the PV annotation of the same capture)', () => {
    const PV = rootType('', 'v1', 'PersistentVolume');
    const old = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' } } };
    const updated = { ...old, metadata: { name: 'pv1', annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }, spec: { ...old.spec, claimRef: { kind: 'PersistentVolumeClaim', name: 'pvc1' } } };
    const out = recordUpdate(old, updated, PV, { manager: 'simulator', apiVersion: 'v1', now: at.now });
    expect(fieldsOf(out, 'simulator')).toBe('{"f:metadata":{"f:annotations":{".":{},"f:pv.kubernetes.io/bound-by-controller":{}}},"f:spec":{"f:claimRef":{".":{},"f:kind":{},"f:name":{}}}}');
  });
});

describe('list types from the schema', () => {
  const DEPLOY = rootType('apps', 'v1', 'Deployment');
  const SVC = rootType('', 'v1', 'Service');

  it('Service ports are keyed by port and protocol, the protocol defaulted to TCP', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, name: 'http' }, { port: 53, protocol: 'UDP' }], selector: { app: 's' } } };
    const out = apply(undefined, svc, 'm', SVC);
    expect(fieldsOf(out, 'm')).toBe('{"f:spec":{"f:ports":{"k:{\\"port\\":53,\\"protocol\\":\\"UDP\\"}":{".":{},"f:port":{},"f:protocol":{}},"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{},"f:port":{}}},"f:selector":{}}}');
  });

  it('container ports keyed by containerPort and protocol; args atomic; the selector an atomic map; finalizers a set', () => {
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', finalizers: ['example.com/keep'] },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i', args: ['a', 'b'], ports: [{ containerPort: 8080 }] }] } } },
    };
    const out = apply(undefined, d, 'm', DEPLOY);
    expect(fieldsOf(out, 'm')).toBe(
      '{"f:metadata":{"f:finalizers":{"v:\\"example.com/keep\\"":{}}},"f:spec":{"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:args":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":8080,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}',
    );
  });
});

describe('ownership of dotted keys', () => {
  const first = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns', labels: { 'app.kubernetes.io/name': 'web', 'team.example.com/owner': 'a' } }, data: { 'a.b': '1', keep: '2' } };

  it('a manager that stops applying a dotted label or data key removes it', () => {
    const live = apply(undefined, first, 'A');
    expect(fieldsOf(live, 'A')).toBe('{"f:data":{"f:a.b":{},"f:keep":{}},"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{},"f:team.example.com/owner":{}}}}');
    const after = apply(live, { ...first, metadata: { name: 'x', namespace: 'ns' }, data: { keep: '2' } }, 'A');
    expect(after.metadata.labels ?? {}).toEqual({});
    expect(after.data).toEqual({ keep: '2' });
  });

  it('another manager changing a dotted label conflicts, naming its owner; force takes it over', () => {
    const live = apply(undefined, first, 'A');
    const change = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns', labels: { 'team.example.com/owner': 'b' } } };
    expect(() => apply(live, change, 'B')).toThrow('Apply failed with 1 conflict: conflict with "A": .metadata.labels.team.example.com/owner');
    const forced = apply(live, change, 'B', CM, true);
    expect(forced.metadata.labels['team.example.com/owner']).toBe('b');
    expect(fieldsOf(forced, 'A')).toBe('{"f:data":{"f:a.b":{},"f:keep":{}},"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{}}}}');
  });

  it('an undeclared field fails the typed conversion, whatever fieldValidation says', () => {
    expect(() => apply(undefined, { ...first, spec: { x: 1 } }, 'A')).toThrow('failed to create typed patch object (ns/x; /v1, Kind=ConfigMap): .spec: field not declared in schema');
  });
});
