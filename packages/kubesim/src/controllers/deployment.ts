// Deployment controller: one ReplicaSet per pod template (<deploy>-<pod-template-hash>), rolling
// update within maxSurge/maxUnavailable (or Recreate), status and the Available/Progressing
// conditions with the real reasons, ProgressDeadlineExceeded, ScalingReplicaSet events, history
// trimmed to revisionHistoryLimit.
import type { Obj } from '../store.js';
import { condition, controllerRef, nowIso, ownedBy, setCondition, templateHash, withoutHashLabel, type Cluster } from './cluster.js';

const SOURCE = { component: 'deployment-controller' };

function resolve(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? '25%'));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function reconcileDeployments(cluster: Cluster, now: number): void {
  const allRs = cluster.list('ReplicaSet');
  for (const d of cluster.list('Deployment')) {
    if (d.metadata.deletionTimestamp) continue;
    const ns = d.metadata.namespace;
    const replicas = d.spec.replicas ?? 1;
    const owned = allRs.filter(ownedBy(d));
    const hash = templateHash(d.spec.template);
    // The replica set whose template equals the Deployment's, ignoring the hash label (a rollback
    // to an old template reactivates its replica set).
    let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash) ?? owned.find((rs) => templateHash(withoutHashLabel(rs.spec.template)) === hash);
    const olds = owned.filter((rs) => rs !== newRs);
    const revisionOf = (rs: Obj) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const revision = Math.max(0, ...owned.map(revisionOf));
    if (newRs && !d.spec.paused && revisionOf(newRs) < revision) {
      // Reactivated: it takes the next revision; the one it had goes to its revision history.
      const history = [newRs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], String(revisionOf(newRs))].filter(Boolean).join(',');
      newRs = cluster.write('ReplicaSet', {
        ...newRs,
        metadata: { ...newRs.metadata, annotations: { ...newRs.metadata.annotations, 'deployment.kubernetes.io/revision': String(revision + 1), 'deployment.kubernetes.io/revision-history': history } },
      });
    }
    const status: Obj = structuredClone(d.status ?? {});
    const hasDeadline = d.spec.progressDeadlineSeconds !== undefined;
    const scale = (rs: Obj, to: number) => {
      const from = rs.spec.replicas ?? 0;
      if (from === to) return rs;
      const next = cluster.write('ReplicaSet', { ...rs, spec: { ...rs.spec, replicas: to }, metadata: { ...rs.metadata, annotations: { ...rs.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(replicas) } } });
      cluster.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, SOURCE);
      return next;
    };

    if (!d.spec.paused) {
      if (!newRs) {
        const template = structuredClone(d.spec.template);
        template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
        const name = `${d.metadata.name}-${hash}`;
        newRs =
          cluster.get('ReplicaSet', ns, name) ??
          cluster.create(
            'ReplicaSet',
            ns,
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              metadata: {
                name,
                namespace: ns,
                labels: template.metadata.labels,
                annotations: { 'deployment.kubernetes.io/revision': String(revision + 1), 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + resolve(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true)) },
                ownerReferences: [controllerRef(d)],
              },
              spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector: { matchLabels: { ...d.spec.selector?.matchLabels, 'pod-template-hash': hash } }, template },
            },
            'kube-controller-manager',
          );
        if (hasDeadline) setCondition(status, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${newRs.metadata.name}"` }, { updateTime: true, touch: true });
      }
      if (d.spec.strategy?.type === 'Recreate') {
        for (const rs of olds) scale(rs, 0);
        const oldPods = olds.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
        if (oldPods === 0) newRs = scale(newRs!, replicas);
      } else {
        let maxSurge = resolve(d.spec.strategy?.rollingUpdate?.maxSurge, replicas, true);
        let maxUnavailable = resolve(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false);
        if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
        if (replicas === 0) maxSurge = 0;
        const totalSpec = owned.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0) + (owned.includes(newRs!) ? 0 : newRs!.spec.replicas ?? 0);
        const newSpec = newRs!.spec.replicas ?? 0;
        if (newSpec < replicas) {
          const room = replicas + maxSurge - totalSpec;
          if (room > 0) newRs = scale(newRs!, Math.min(replicas, newSpec + room));
        } else if (newSpec > replicas) newRs = scale(newRs!, replicas);
        // Old replica sets: unhealthy pods go first, then as many as availability allows.
        const available = [newRs!, ...olds].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
        let removable = Math.max(0, available - (replicas - maxUnavailable));
        for (const rs of [...olds].sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))) {
          const spec = rs.spec.replicas ?? 0;
          if (spec === 0) continue;
          const unhealthy = Math.max(0, spec - (rs.status?.availableReplicas ?? 0));
          const cut = Math.min(spec, unhealthy + removable);
          removable -= Math.max(0, cut - unhealthy);
          if (cut > 0) scale(rs, spec - cut);
        }
      }
      // Trim history: old, empty replica sets beyond revisionHistoryLimit.
      const empty = olds.filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0);
      const limit = d.spec.revisionHistoryLimit ?? 10;
      for (const rs of empty.sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision'])).slice(0, Math.max(0, empty.length - limit))) {
        cluster.remove('ReplicaSet', rs);
      }
    }

    const current = cluster.list('ReplicaSet', ns).filter(ownedBy(d));
    const nr = newRs ? current.find((rs) => rs.metadata.uid === newRs!.metadata.uid) : undefined;
    const previous = { ...status };
    status.observedGeneration = d.metadata.generation;
    status.replicas = current.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
    status.updatedReplicas = nr?.status?.replicas ?? 0;
    status.readyReplicas = current.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
    status.availableReplicas = current.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    status.unavailableReplicas = Math.max(0, current.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0) - status.availableReplicas);
    for (const k of ['readyReplicas', 'availableReplicas', 'unavailableReplicas', 'updatedReplicas', 'replicas']) if (status[k] === 0) delete status[k];
    const maxUnavailable = resolve(d.spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false);
    const minAvailable = d.spec.strategy?.type === 'Recreate' ? replicas : replicas - maxUnavailable;
    setCondition(
      status,
      (status.availableReplicas ?? 0) >= minAvailable
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      { updateTime: true },
    );
    if (d.spec.paused) setCondition(status, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, { updateTime: true });
    else if (hasDeadline && nr) {
      const name = nr.metadata.name;
      const complete = (status.updatedReplicas ?? 0) === replicas && (status.replicas ?? 0) === replicas && (status.availableReplicas ?? 0) === replicas;
      const progressed = ['updatedReplicas', 'readyReplicas', 'availableReplicas'].some((k) => (status[k] ?? 0) > (previous[k] ?? 0)) || (status.replicas ?? 0) < (previous.replicas ?? 0);
      const progressing = condition({ status }, 'Progressing');
      if (complete) setCondition(status, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` }, { updateTime: true });
      else if (progressed || !progressing || progressing.reason === 'NewReplicaSetAvailable') {
        setCondition(status, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.` }, { updateTime: true, touch: progressed || !progressing });
      }
      else if (progressing.reason !== 'ProgressDeadlineExceeded' && now - Date.parse(progressing.lastUpdateTime ?? nowIso()) > d.spec.progressDeadlineSeconds * 1000) {
        setCondition(status, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` }, { updateTime: true });
      }
    }
    // The Deployment says which revision it runs, as the deployment controller writes it.
    const runs = nr?.metadata.annotations?.['deployment.kubernetes.io/revision'];
    const metadata = runs && d.metadata.annotations?.['deployment.kubernetes.io/revision'] !== runs ? { ...d.metadata, annotations: { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': runs } } : d.metadata;
    cluster.write('Deployment', { ...d, metadata, status });
  }
}
