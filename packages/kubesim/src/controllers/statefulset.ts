// StatefulSet controller: pods <name>-<ordinal> created in order (OrderedReady waits for the
// previous one to be ready), ControllerRevisions and the controller-revision-hash label,
// currentRevision/updateRevision, RollingUpdate from the highest ordinal down to the partition,
// OnDelete; claims from volumeClaimTemplates (bound at once).
import type { Obj } from '../store.js';
import { controllerRef, ownedBy, templateHash, type Cluster } from './cluster.js';
import { isPodAvailable, isPodReady } from './replicaset.js';

const SOURCE = { component: 'statefulset-controller' };

export function reconcileStatefulSets(cluster: Cluster, now: number): void {
  for (const sts of cluster.list('StatefulSet')) {
    if (sts.metadata.deletionTimestamp) continue;
    const ns = sts.metadata.namespace;
    const name = sts.metadata.name;
    const replicas = sts.spec.replicas ?? 1;
    const updateRevision = `${name}-${templateHash(sts.spec.template)}`;
    const revisions = cluster.list('ControllerRevision', ns).filter(ownedBy(sts));
    if (!revisions.some((r) => r.metadata.name === updateRevision)) {
      cluster.create('ControllerRevision', ns, {
        apiVersion: 'apps/v1', kind: 'ControllerRevision',
        metadata: { name: updateRevision, namespace: ns, labels: { ...sts.spec.selector?.matchLabels, 'controller.kubernetes.io/hash': updateRevision.slice(name.length + 1) }, ownerReferences: [controllerRef(sts)] },
        data: { spec: { template: sts.spec.template } },
        revision: revisions.length + 1,
      }, 'kube-controller-manager');
    }
    const owned = cluster.list('Pod', ns).filter(ownedBy(sts));
    const pods = owned.filter((p) => !p.metadata.deletionTimestamp);
    const byOrdinal = new Map(pods.map((p) => [Number(p.metadata.name.slice(name.length + 1)), p]));
    // A terminating pod still holds its name: its ordinal waits until the kubelet removed it.
    const terminating = new Set(owned.filter((p) => p.metadata.deletionTimestamp).map((p) => Number(p.metadata.name.slice(name.length + 1))));
    const ordered = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    // Create missing ordinals in order; OrderedReady waits for each to be ready.
    for (let i = 0; i < replicas; i++) {
      const existing = byOrdinal.get(i);
      if (existing) {
        if (ordered && !isPodReady(existing)) break;
        continue;
      }
      if (terminating.has(i)) {
        if (ordered) break;
        continue;
      }
      const template = structuredClone(sts.spec.template);
      for (const claim of (sts.spec.volumeClaimTemplates ?? []) as Obj[]) {
        const claimName = `${claim.metadata.name}-${name}-${i}`;
        if (!cluster.get('PersistentVolumeClaim', ns, claimName)) {
          cluster.create('PersistentVolumeClaim', ns, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: claimName, namespace: ns, labels: sts.spec.selector?.matchLabels }, spec: claim.spec }, 'kube-controller-manager');
        }
      }
      const pod = cluster.create('Pod', ns, {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { ...template.metadata, name: `${name}-${i}`, namespace: ns, labels: { ...template.metadata?.labels, 'controller-revision-hash': updateRevision, 'statefulset.kubernetes.io/pod-name': `${name}-${i}`, 'apps.kubernetes.io/pod-index': String(i) }, ownerReferences: [controllerRef(sts)] },
        spec: { ...template.spec, hostname: `${name}-${i}`, subdomain: sts.spec.serviceName },
      }, 'kube-controller-manager');
      cluster.event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${name} successful`, SOURCE);
      byOrdinal.set(i, pod);
      if (ordered) break;
    }
    // Scale down from the highest ordinal, one at a time when ordered.
    for (const [i, pod] of [...byOrdinal].sort(([a], [b]) => b - a)) {
      if (i < replicas || (ordered && terminating.size)) break;
      cluster.remove('Pod', pod);
      byOrdinal.delete(i);
      cluster.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`, SOURCE);
      if (ordered) break;
    }
    // Rolling update: one outdated pod at a time, highest ordinal first, down to the partition.
    const strategy = sts.spec.updateStrategy ?? { type: 'RollingUpdate' };
    if (strategy.type === 'RollingUpdate') {
      const partition = strategy.rollingUpdate?.partition ?? 0;
      const settled = [...byOrdinal.values()].every(isPodReady) && terminating.size === 0;
      const outdated = [...byOrdinal].filter(([i, p]) => i >= partition && p.metadata.labels?.['controller-revision-hash'] !== updateRevision).sort(([a], [b]) => b - a);
      if (settled && outdated.length) {
        const [i, victim] = outdated[0]!;
        cluster.remove('Pod', victim);
        byOrdinal.delete(i);
      }
    }
    const current = [...byOrdinal.values()];
    const updated = current.filter((p) => p.metadata.labels?.['controller-revision-hash'] === updateRevision);
    const previous = sts.status ?? {};
    const currentRevision = updated.length === replicas && current.length === replicas ? updateRevision : previous.currentRevision ?? updateRevision;
    const status: Obj = {
      observedGeneration: sts.metadata.generation,
      replicas: current.length,
      readyReplicas: current.filter(isPodReady).length,
      availableReplicas: current.filter((p) => isPodAvailable(p, sts.spec.minReadySeconds ?? 0, now)).length,
      currentReplicas: currentRevision === updateRevision ? updated.length : current.length - updated.length,
      updatedReplicas: updated.length,
      currentRevision,
      updateRevision,
      collisionCount: 0,
    };
    for (const k of ['readyReplicas', 'availableReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
    cluster.write('StatefulSet', { ...sts, status });
  }
}
