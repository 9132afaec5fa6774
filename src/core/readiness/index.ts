// readiness(object, related?) (SPEC section 8): a pure verdict per kind. With the pods of the
// object's current revision, a progressing verdict carries their problem (ImagePullBackOff, ...)
// and a pod that can never start fails the resource at once.
import { daemonSetReadiness } from './daemonset.js';
import { deploymentReadiness } from './deployment.js';
import { jobReadiness } from './job.js';
import { podProblems, podReadiness } from './pod.js';
import { replicaSetReadiness } from './replicaset.js';
import { crdReadiness, genericReadiness, pvcReadiness, serviceReadiness } from './simple.js';
import { statefulSetReadiness } from './statefulset.js';
import { verdict, type Obj, type Readiness, type Related } from './types.js';

export type { Obj, Readiness, ReadinessState, Related } from './types.js';
export { podProblems, unschedulableSince, type ContainerProblem } from './pod.js';

const RULES: Record<string, (o: Obj) => Readiness> = {
  Deployment: deploymentReadiness,
  StatefulSet: statefulSetReadiness,
  DaemonSet: daemonSetReadiness,
  ReplicaSet: replicaSetReadiness,
  ReplicationController: replicaSetReadiness,
  Job: jobReadiness,
  Pod: podReadiness,
  PersistentVolumeClaim: pvcReadiness,
  Service: serviceReadiness,
  CustomResourceDefinition: crdReadiness,
};

/** Kinds whose pods the tracker follows, and how they name their current revision's pods. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']);

export function readiness(object: Obj, related: Related = {}): Readiness {
  const rule = RULES[object.kind] ?? genericReadiness;
  const own = rule(object);
  if (own.state !== 'progressing' || !related.pods?.length) return own;
  const problems = related.pods.flatMap(podProblems);
  const immediate = problems.find((p) => p.immediate);
  if (immediate) return verdict('failed', immediate.reason, `pod ${immediate.pod} container ${immediate.container}: ${immediate.message}`, own.progress.ready, own.progress.desired);
  const first = problems[0];
  if (first) return { ...own, reason: first.reason, message: `pod ${first.pod} container ${first.container}: ${first.reason}${first.message ? `: ${first.message}` : ''}` };
  return own;
}
