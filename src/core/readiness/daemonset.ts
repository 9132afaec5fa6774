// DaemonSet, as kubectl's DaemonSetStatusViewer. For OnDelete (kubectl refuses it) the same
// counts are the best evidence there is: scheduled and available on every node that wants one.
import { num, observed, verdict, type Obj, type Readiness } from './types.js';

export function daemonSetReadiness(ds: Obj): Readiness {
  const name = ds.metadata?.name ?? '';
  const s = ds.status ?? {};
  const desired = num(s.desiredNumberScheduled);
  const available = num(s.numberAvailable);
  if (!observed(ds)) return verdict('progressing', 'NotObserved', 'Waiting for daemon set spec update to be observed...', available, desired);
  if (num(s.updatedNumberScheduled) < desired) {
    return verdict('progressing', 'Updating', `Waiting for daemon set "${name}" rollout to finish: ${num(s.updatedNumberScheduled)} out of ${desired} new pods have been updated...`, available, desired);
  }
  if (available < desired) {
    return verdict('progressing', 'Unavailable', `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`, available, desired);
  }
  return verdict('ready', 'RolledOut', `daemon set "${name}" successfully rolled out`, available, desired);
}
