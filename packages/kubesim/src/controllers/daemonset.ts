// DaemonSet controller: one pod per node (pinned with spec.nodeName, as the real controller's
// node affinity does), rolling update one node at a time (maxUnavailable), status counts.
import type { Obj } from '../store.js';
import { controllerRef, ownedBy, templateHash, type Cluster } from './cluster.js';
import { isPodAvailable, isPodReady } from './replicaset.js';

const SOURCE = { component: 'daemonset-controller' };

export function reconcileDaemonSets(cluster: Cluster, now: number): void {
  const nodes = cluster.list('Node');
  for (const ds of cluster.list('DaemonSet')) {
    if (ds.metadata.deletionTimestamp) continue;
    const ns = ds.metadata.namespace;
    const hash = templateHash(ds.spec.template);
    const selector: Obj = ds.spec.template?.spec?.nodeSelector ?? {};
    const eligible = nodes.filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v));
    const owned = cluster.list('Pod', ns).filter(ownedBy(ds));
    let pods = owned.filter((p) => !p.metadata.deletionTimestamp);
    const terminating = owned.filter((p) => p.metadata.deletionTimestamp);
    for (const node of eligible) {
      // A node whose daemon pod is still terminating gets its new one once that is gone.
      if ([...pods, ...terminating].some((p) => p.spec.nodeName === node.metadata.name)) continue;
      const template = structuredClone(ds.spec.template);
      const pod = cluster.create('Pod', ns, {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { ...template.metadata, generateName: `${ds.metadata.name}-`, namespace: ns, labels: { ...template.metadata?.labels, 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation) }, ownerReferences: [controllerRef(ds)] },
        spec: { ...template.spec, nodeName: node.metadata.name },
      }, 'kube-controller-manager');
      cluster.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
      pods.push(pod);
    }
    const strategy = ds.spec.updateStrategy ?? { type: 'RollingUpdate' };
    if (strategy.type === 'RollingUpdate') {
      const maxUnavailable = Number(strategy.rollingUpdate?.maxUnavailable ?? 1) || 1;
      const unavailable = pods.filter((p) => !isPodReady(p)).length + terminating.length;
      const outdated = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== hash);
      for (const victim of outdated.slice(0, Math.max(0, maxUnavailable - unavailable))) {
        cluster.remove('Pod', victim);
        cluster.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${victim.metadata.name}`, SOURCE);
        pods = pods.filter((p) => p !== victim);
      }
    }
    const onNodes = pods.filter((p) => eligible.some((n) => n.metadata.name === p.spec.nodeName));
    const status: Obj = {
      currentNumberScheduled: onNodes.length,
      desiredNumberScheduled: eligible.length,
      numberMisscheduled: pods.length - onNodes.length,
      numberReady: onNodes.filter(isPodReady).length,
      numberAvailable: onNodes.filter((p) => isPodAvailable(p, ds.spec.minReadySeconds ?? 0, now)).length,
      updatedNumberScheduled: onNodes.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
      observedGeneration: ds.metadata.generation,
    };
    status.numberUnavailable = status.desiredNumberScheduled - status.numberAvailable;
    for (const k of ['numberAvailable', 'numberUnavailable']) if (status[k] === 0) delete status[k];
    cluster.write('DaemonSet', { ...ds, status });
  }
}
