// The pods of a workload's current revision, from the watch caches: a Deployment's newest
// ReplicaSet (pod-template-hash), a StatefulSet's updateRevision (controller-revision-hash),
// a DaemonSet's or Job's own pods, a ReplicaSet's pods, a Pod itself.
import type { KubeObject } from '../../ports/index.js';

/** The watch caches' objects of one kind in one namespace. */
export type Lookup = (apiVersion: string, kind: string, namespace: string | undefined) => KubeObject[];

const ownedBy = (o: KubeObject, owner: KubeObject) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

export function currentPods(object: KubeObject, lookup: Lookup): KubeObject[] {
  const ns = object.metadata.namespace;
  const pods = () => lookup('v1', 'Pod', ns).filter((p) => !p.metadata.deletionTimestamp);
  switch (object.kind) {
    case 'Pod':
      return [object];
    case 'Deployment': {
      const sets = lookup('apps/v1', 'ReplicaSet', ns).filter((rs) => ownedBy(rs, object));
      if (sets.length === 0) return [];
      const wanted = revisionOf(object);
      const current = sets.find((rs) => wanted > 0 && revisionOf(rs) === wanted) ?? sets.reduce((a, b) => (revisionOf(b) > revisionOf(a) ? b : a));
      const hash = current.metadata.labels?.['pod-template-hash'];
      return pods().filter((p) => ownedBy(p, current) && (!hash || p.metadata.labels?.['pod-template-hash'] === hash));
    }
    case 'StatefulSet': {
      const revision = (object.status as { updateRevision?: string } | undefined)?.updateRevision;
      return pods().filter((p) => ownedBy(p, object) && (!revision || p.metadata.labels?.['controller-revision-hash'] === revision));
    }
    case 'DaemonSet':
    case 'Job':
    case 'ReplicaSet':
      return pods().filter((p) => ownedBy(p, object));
    default:
      return [];
  }
}
