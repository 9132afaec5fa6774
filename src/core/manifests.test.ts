import { describe, expect, it } from 'vitest';
import { applyOrder, finalizeManifests, findDuplicates, validateDocument, type Manifest } from './manifests.js';

const m = (kind: string, name: string, extra: Record<string, unknown> = {}, apiVersion = 'v1'): Manifest => {
  const checked = validateDocument('t.yaml', 1, { apiVersion, kind, metadata: { name, ...extra } });
  if ('message' in checked) throw new Error(checked.message);
  return checked;
};

describe('manifests', () => {
  it.each([
    [null, 'is not a mapping'],
    [{ kind: 'A', metadata: { name: 'x' } }, 'has no apiVersion'],
    [{ apiVersion: 'v1', metadata: { name: 'x' } }, 'has no kind'],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, 'ConfigMap has no metadata.name'],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'slipway.dev/weight': 'high' } } }, 'annotation slipway.dev/weight must be an integer string, got "high"'],
  ])('rejects %j', (doc, message) => {
    expect(validateDocument('t.yaml', 1, doc)).toEqual({ source: 't.yaml', index: 1, message });
  });

  it('defaults the namespace of namespaced objects and adds the two labels', () => {
    const out = finalizeManifests(
      [
        m('ConfigMap', 'c', { labels: { a: 'b' } }),
        m('Namespace', 'n'),
        m('Secret', 's', { namespace: 'other' }),
        m('CustomResourceDefinition', 'crd', {}, 'apiextensions.k8s.io/v1'),
        m('Widget', 'w', {}, 'example.com/v1'),
      ].map((x, i) => (i === 3 ? { ...x, object: { ...x.object, spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget' } } } } : x)),
      { name: 'rel', namespace: 'ns' },
    );
    expect(out.map((o) => o.object.metadata.namespace)).toEqual(['ns', undefined, 'other', undefined, undefined]);
    expect(out[0]!.object.metadata.labels).toEqual({ a: 'b', 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/release': 'rel' });
  });

  it('finds duplicates by group/kind/namespace/name', () => {
    const out = finalizeManifests([m('ConfigMap', 'a'), m('ConfigMap', 'a'), m('ConfigMap', 'a', { namespace: 'x' }), m('Secret', 'a')], { name: 'r', namespace: 'ns' });
    expect(findDuplicates(out).map((p) => p.message)).toEqual(['duplicate ConfigMap "/ConfigMap/ns/a" (also in t.yaml document 1)']);
  });

  it('orders Namespaces, CRDs, then weight groups by kind class', () => {
    const w = (n: string) => ({ annotations: { 'slipway.dev/weight': n } });
    const ordered = applyOrder([
      m('Deployment', 'd', {}, 'apps/v1'),
      m('Job', 'migrate', w('-1'), 'batch/v1'),
      m('Service', 's'),
      m('Ingress', 'i', {}, 'networking.k8s.io/v1'),
      m('ConfigMap', 'c'),
      m('ServiceAccount', 'sa'),
      m('CustomResourceDefinition', 'crd', w('5'), 'apiextensions.k8s.io/v1'),
      m('Namespace', 'n', w('9')),
      m('PersistentVolumeClaim', 'pvc'),
      m('Job', 'late', w('1'), 'batch/v1'),
      m('Secret', 'sec'),
    ]);
    expect(ordered.map((o) => o.object.metadata.name)).toEqual(['n', 'crd', 'migrate', 'sa', 'c', 'sec', 'pvc', 's', 'd', 'i', 'late']);
  });
});
