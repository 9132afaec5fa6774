// ReplicaSet controller: pods created from the template (generateName <rs>-) or deleted (not
// ready first, newest first) to match spec.replicas; status counts, availability after
// minReadySeconds.
import type { Obj } from '../store.js';
import { condition, controllerRef, ownedBy, type Cluster } from './cluster.js';

const SOURCE = { component: 'replicaset-controller' };

export function isPodReady(pod: Obj): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

export function isPodAvailable(pod: Obj, minReadySeconds: number, now: number): boolean {
  const ready = condition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  return now - Date.parse(ready.lastTransitionTime) >= minReadySeconds * 1000;
}

export function reconcileReplicaSets(cluster: Cluster, now: number): void {
  const pods = cluster.list('Pod');
  for (const rs of cluster.list('ReplicaSet')) {
    if (rs.metadata.deletionTimestamp) continue;
    const mine = pods.filter(ownedBy(rs)).filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase));
    const want = rs.spec.replicas ?? 1;
    if (mine.length < want) {
      for (let i = mine.length; i < want; i++) {
        const template = structuredClone(rs.spec.template ?? {});
        const pod = cluster.create(
          'Pod',
          rs.metadata.namespace,
          { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, generateName: `${rs.metadata.name}-`, namespace: rs.metadata.namespace, ownerReferences: [controllerRef(rs)] }, spec: template.spec },
          'kube-controller-manager',
        );
        mine.push(pod);
        cluster.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
      }
    } else if (mine.length > want) {
      const victims = [...mine]
        .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp) || b.metadata.name.localeCompare(a.metadata.name))
        .slice(0, mine.length - want);
      for (const pod of victims) {
        cluster.remove('Pod', pod);
        cluster.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
      }
      const gone = new Set(victims.map((v) => v.metadata.uid));
      mine.splice(0, mine.length, ...mine.filter((p) => !gone.has(p.metadata.uid)));
    }
    const minReady = rs.spec.minReadySeconds ?? 0;
    const status = {
      replicas: mine.length,
      fullyLabeledReplicas: mine.length,
      readyReplicas: mine.filter(isPodReady).length,
      availableReplicas: mine.filter((p) => isPodAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata.generation,
    };
    cluster.write('ReplicaSet', { ...rs, status });
  }
}
