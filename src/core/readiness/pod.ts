// Pods: their own readiness, and the container problems the tracker counts (SPEC section 8).
import { condition, verdict, type Obj, type Readiness } from './types.js';

/** Waiting reasons that count against the error budget. */
export const COUNTED_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff', 'RunContainerError', 'CreateContainerError']);
/** Waiting reasons that fail the resource at once: retrying cannot fix them. */
export const IMMEDIATE_REASONS = new Set(['InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError']);

export interface ContainerProblem {
  pod: string;
  container: string;
  reason: string;
  message: string;
  restartCount: number;
  immediate: boolean;
  /** The container ran and exited: its previous instance has the log worth showing. */
  crashed: boolean;
}

export function podProblems(pod: Obj): ContainerProblem[] {
  const statuses = [...((pod.status?.initContainerStatuses as Obj[]) ?? []), ...((pod.status?.containerStatuses as Obj[]) ?? [])];
  const out: ContainerProblem[] = [];
  for (const c of statuses) {
    const waiting = c.state?.waiting;
    const reason: string | undefined = waiting?.reason;
    if (!reason || !(COUNTED_REASONS.has(reason) || IMMEDIATE_REASONS.has(reason))) continue;
    out.push({
      pod: pod.metadata?.name ?? '',
      container: c.name,
      reason,
      message: waiting.message ?? '',
      restartCount: c.restartCount ?? 0,
      immediate: IMMEDIATE_REASONS.has(reason),
      crashed: Boolean(c.lastState?.terminated),
    });
  }
  return out;
}

/** Since when the pod has been unschedulable ('' when the time is unknown), or null when it is not. */
export function unschedulableSince(pod: Obj): string | null {
  const c = condition(pod, 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable' ? (c.lastTransitionTime ?? '') : null;
}

export function podReadiness(pod: Obj): Readiness {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return verdict('ready', 'Succeeded', 'pod completed', 1, 1);
  if (phase === 'Failed') return verdict('failed', pod.status?.reason ?? 'Failed', pod.status?.message ?? 'pod failed', 0, 1);
  const immediate = podProblems(pod).find((p) => p.immediate);
  if (immediate) return verdict('failed', immediate.reason, `${immediate.container}: ${immediate.message}`, 0, 1);
  if (condition(pod, 'Ready')?.status === 'True') return verdict('ready', 'Ready', 'pod is ready', 1, 1);
  const problem = podProblems(pod)[0];
  if (problem) return verdict('progressing', problem.reason, `${problem.container}: ${problem.message}`, 0, 1);
  if (unschedulableSince(pod) !== null) return verdict('progressing', 'Unschedulable', condition(pod, 'PodScheduled')?.message ?? 'pod cannot be scheduled', 0, 1);
  return verdict('progressing', phase ?? 'Pending', `pod is ${phase ?? 'pending'}`, 0, 1);
}
