// Graceful deletion (apiserver registry/rest/delete.go BeforeDelete, pod strategy
// CheckGracefulDelete): a scheduled, running pod is not removed by a delete but marked with a
// deletionTimestamp in the future and its grace period; the kubelet stops its containers and then
// removes it. Unscheduled and finished pods, and a grace period of 0, go at once.
import type { Obj } from './store.js';

/** The grace period a delete of this pod gets: the request's, else the pod's (default 30 s). */
export function podGracePeriod(pod: Obj, requested: number | undefined): number {
  if (!pod.spec?.nodeName || ['Succeeded', 'Failed'].includes(pod.status?.phase)) return 0;
  const grace = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  return grace < 0 ? 1 : grace;
}

/**
 * Marks `obj` as deleting in `grace` seconds; false when it must go now. A repeated delete only
 * moves the deadline earlier.
 */
export function markGraceful(obj: Obj, grace: number, nowMs: number): boolean {
  if (grace === 0) return false;
  const deadline = nowMs + grace * 1000;
  const current = obj.metadata.deletionTimestamp ? Date.parse(obj.metadata.deletionTimestamp) : Infinity;
  if (deadline < current) {
    obj.metadata.deletionTimestamp = new Date(deadline).toISOString().replace(/\.\d{3}Z$/, 'Z');
    obj.metadata.deletionGracePeriodSeconds = grace;
    if (obj.metadata.generation > 0) obj.metadata.generation += 1;
  }
  return true;
}
