// ReplicaSet (and ReplicationController): the generation observed and every replica available.
import { num, observed, verdict, type Obj, type Readiness } from './types.js';

export function replicaSetReadiness(rs: Obj): Readiness {
  const desired = typeof rs.spec?.replicas === 'number' ? rs.spec.replicas : 1;
  const available = num(rs.status?.availableReplicas);
  if (!observed(rs)) return verdict('progressing', 'NotObserved', 'Waiting for the spec update to be observed...', available, desired);
  if (available < desired) return verdict('progressing', 'Unavailable', `${available} of ${desired} replicas are available`, available, desired);
  return verdict('ready', 'Available', `${available} replicas available`, available, desired);
}
