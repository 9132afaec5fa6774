// Deployment, in the order kubectl's DeploymentStatusViewer checks (kubectl/pkg/polymorphichelpers/
// rollout_status.go): generation observed, the Progressing condition's deadline, then counts.
import { condition, num, observed, verdict, type Obj, type Readiness } from './types.js';

export function deploymentReadiness(d: Obj): Readiness {
  const name = d.metadata?.name ?? '';
  const s = d.status ?? {};
  const wanted = d.spec?.replicas;
  const desired = typeof wanted === 'number' ? wanted : num(s.replicas);
  const available = num(s.availableReplicas);
  if (!observed(d)) return verdict('progressing', 'NotObserved', 'Waiting for deployment spec update to be observed...', available, desired);
  const progressing = condition(d, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return verdict('failed', 'ProgressDeadlineExceeded', `deployment "${name}" exceeded its progress deadline`, available, desired);
  }
  const updated = num(s.updatedReplicas);
  if (typeof wanted === 'number' && updated < wanted) {
    return verdict('progressing', 'Updating', `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${wanted} new replicas have been updated...`, available, desired);
  }
  if (num(s.replicas) > updated) {
    return verdict('progressing', 'OldReplicasTerminating', `Waiting for deployment "${name}" rollout to finish: ${num(s.replicas) - updated} old replicas are pending termination...`, available, desired);
  }
  if (available < updated) {
    return verdict('progressing', 'Unavailable', `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, available, desired);
  }
  return verdict('ready', 'RolledOut', `deployment "${name}" successfully rolled out`, available, desired);
}
