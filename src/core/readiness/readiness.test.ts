// Table tests with status objects as the real controllers write them; the expected messages are
// kubectl rollout status --watch=false's.
import { describe, expect, it } from 'vitest';
import { readiness } from './index.js';

const deploy = (spec: object, status: object, generation = 2, conditions: object[] = []) => ({
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas: 3, ...spec },
  status: { observedGeneration: 2, conditions, ...status },
});

describe('Deployment (kubectl rollout status order)', () => {
  it.each([
    ['spec not observed', deploy({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, 3), 'progressing', 'Waiting for deployment spec update to be observed...'],
    [
      'deadline exceeded wins over counts',
      deploy({}, { replicas: 3, updatedReplicas: 1 }, 2, [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }]),
      'failed',
      'deployment "web" exceeded its progress deadline',
    ],
    ['new replicas updating', deploy({}, { replicas: 3, updatedReplicas: 1 }), 'progressing', 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'],
    ['old replicas terminating', deploy({}, { replicas: 4, updatedReplicas: 3 }), 'progressing', 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...'],
    ['updated not available', deploy({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 2 }), 'progressing', 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...'],
    ['rolled out', deploy({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), 'ready', 'deployment "web" successfully rolled out'],
    [
      'no spec.replicas: the replica count check is skipped',
      { kind: 'Deployment', metadata: { name: 'web', generation: 1 }, spec: {}, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } },
      'ready',
      'deployment "web" successfully rolled out',
    ],
    ['scaled to zero', deploy({ replicas: 0 }, {}), 'ready', 'deployment "web" successfully rolled out'],
  ])('%s', (_, object, state, message) => {
    expect(readiness(object)).toMatchObject({ state, message });
  });
});

const sts = (spec: object, status: object) => ({ kind: 'StatefulSet', metadata: { name: 'db', generation: 1 }, spec: { replicas: 2, ...spec }, status: { observedGeneration: 1, ...status } });

describe('StatefulSet', () => {
  it.each([
    ['not observed', { ...sts({}, {}), status: {} }, 'progressing', 'Waiting for statefulset spec update to be observed...'],
    ['pods not ready', sts({}, { readyReplicas: 1 }), 'progressing', 'Waiting for 1 pods to be ready...'],
    ['partition pending', sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, { readyReplicas: 2, updatedReplicas: 0 }), 'progressing', 'Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...'],
    ['partition done', sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, { readyReplicas: 2, updatedReplicas: 1 }), 'ready', 'partitioned roll out complete: 1 new pods have been updated...'],
    ['revision rolling', sts({}, { readyReplicas: 2, updatedReplicas: 1, currentRevision: 'db-1', updateRevision: 'db-2' }), 'progressing', 'waiting for statefulset rolling update to complete 1 pods at revision db-2...'],
    ['complete', sts({}, { readyReplicas: 2, currentReplicas: 2, currentRevision: 'db-2', updateRevision: 'db-2' }), 'ready', 'statefulset rolling update complete 2 pods at revision db-2...'],
    ['OnDelete: counts', sts({ updateStrategy: { type: 'OnDelete' } }, { readyReplicas: 2 }), 'ready', 'statefulset has 2 ready pods (OnDelete: pods update when deleted)'],
  ])('%s', (_, object, state, message) => {
    expect(readiness(object)).toMatchObject({ state, message });
  });
});

describe('DaemonSet, Job, Pod, PVC, Service, CRD, generic', () => {
  const ds = (status: object) => ({ kind: 'DaemonSet', metadata: { name: 'agent', generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 3, ...status } });
  it.each([
    [ds({ updatedNumberScheduled: 1 }), 'progressing', 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...'],
    [ds({ updatedNumberScheduled: 3, numberAvailable: 2 }), 'progressing', 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...'],
    [ds({ updatedNumberScheduled: 3, numberAvailable: 3 }), 'ready', 'daemon set "agent" successfully rolled out'],
  ])('DaemonSet %#', (object, state, message) => expect(readiness(object)).toMatchObject({ state, message }));

  it('Job: Complete, Failed with its reason, FailureTarget, running', () => {
    const job = (conditions: object[], status: object = {}) => ({ kind: 'Job', metadata: { name: 'm' }, spec: {}, status: { conditions, ...status } });
    expect(readiness(job([{ type: 'Complete', status: 'True' }], { succeeded: 1 }))).toMatchObject({ state: 'ready', progress: { ready: 1, desired: 1 } });
    expect(readiness(job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]))).toMatchObject({ state: 'failed', reason: 'BackoffLimitExceeded' });
    expect(readiness(job([{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' }]))).toMatchObject({ state: 'failed' });
    expect(readiness(job([], { active: 1 }))).toMatchObject({ state: 'progressing' });
  });

  it('Pod: ready, succeeded, immediate failures, unschedulable', () => {
    const pod = (status: object) => ({ kind: 'Pod', metadata: { name: 'p' }, status });
    expect(readiness(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] })).state).toBe('ready');
    expect(readiness(pod({ phase: 'Succeeded' })).state).toBe('ready');
    expect(readiness(pod({ phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'InvalidImageName', message: 'bad ref' } } }] }))).toMatchObject({ state: 'failed', reason: 'InvalidImageName' });
    expect(readiness(pod({ phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff' } } }] }))).toMatchObject({ state: 'progressing', reason: 'ImagePullBackOff' });
    expect(readiness(pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] }))).toMatchObject({ state: 'progressing', reason: 'Unschedulable' });
  });

  it('PVC, Service, CRD and generic conditions', () => {
    expect(readiness({ kind: 'PersistentVolumeClaim', status: { phase: 'Bound' } }).state).toBe('ready');
    expect(readiness({ kind: 'PersistentVolumeClaim', status: { phase: 'Pending' } }).state).toBe('progressing');
    expect(readiness({ kind: 'Service', spec: { type: 'ClusterIP' } }).state).toBe('ready');
    expect(readiness({ kind: 'Service', spec: { type: 'LoadBalancer' }, status: {} }).state).toBe('progressing');
    expect(readiness({ kind: 'Service', spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }).state).toBe('ready');
    expect(readiness({ kind: 'CustomResourceDefinition', status: { conditions: [{ type: 'Established', status: 'True' }] } }).state).toBe('ready');
    expect(readiness({ kind: 'ConfigMap' }).state).toBe('ready');
    expect(readiness({ kind: 'Widget', metadata: { generation: 2 }, status: { observedGeneration: 1 } }).state).toBe('progressing');
    expect(readiness({ kind: 'Widget', status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Waiting' }] } })).toMatchObject({ state: 'progressing', reason: 'Waiting' });
    expect(readiness({ kind: 'Widget', status: { conditions: [{ type: 'Stalled', status: 'True', reason: 'Broken' }] } })).toMatchObject({ state: 'failed', reason: 'Broken' });
  });

  it('pods of the current revision explain a progressing workload, and fail it at once when they can never start', () => {
    const d = deploy({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 0 });
    const pulling = { metadata: { name: 'web-1' }, status: { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] } };
    expect(readiness(d, { pods: [pulling] })).toMatchObject({ state: 'progressing', reason: 'ImagePullBackOff' });
    const config = { metadata: { name: 'web-2' }, status: { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' } } }] } };
    expect(readiness(d, { pods: [config] })).toMatchObject({ state: 'failed', reason: 'CreateContainerConfigError' });
  });
});
