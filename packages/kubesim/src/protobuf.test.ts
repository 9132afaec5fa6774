import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isKubernetesProtobuf } from './protobuf.js';

describe('protobuf bodies from the real generated.proto files', () => {
  it('round-trips a Deployment through the k8s\\0 envelope: inlined probe handlers and volume sources, IntOrString, Quantity, Time, pointers at zero', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { 'app.kubernetes.io/name': 'web' }, creationTimestamp: '2026-01-02T03:04:05Z' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'web', image: 'busybox', ports: [{ containerPort: 8080, protocol: 'TCP' }], readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 }, resources: { limits: { memory: '64Mi' } } }],
            volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
            automountServiceAccountToken: false,
          },
        },
      },
    };
    const body = encodeKubernetesProtobuf(deployment)!;
    expect(isKubernetesProtobuf(body)).toBe(true);
    expect(decodeKubernetesProtobuf(body)).toEqual(deployment);
  });

  it('decodes options of any group version as meta/v1 types, and Secret data as base64', () => {
    const options = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', gracePeriodSeconds: 0 })!;
    expect(decodeKubernetesProtobuf(options)).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') }, type: 'Opaque' };
    expect(decodeKubernetesProtobuf(encodeKubernetesProtobuf(secret)!)).toEqual(secret);
  });

  it('round-trips a CustomResourceDefinition: $ref-style renamed fields, x-kubernetes-* markers, JSON defaults, schema-or-bool unions', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { size: { type: 'integer', default: 3 }, tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' } }, additionalProperties: false } } } },
        }],
      },
    };
    expect(decodeKubernetesProtobuf(encodeKubernetesProtobuf(crd)!)).toEqual(crd);
  });

  it('refuses kinds it has no message for', () => {
    expect(encodeKubernetesProtobuf({ apiVersion: 'example.com/v1', kind: 'Widget' })).toBeUndefined();
  });
});
