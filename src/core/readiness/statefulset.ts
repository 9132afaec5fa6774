// StatefulSet, as kubectl's StatefulSetStatusViewer. kubectl refuses OnDelete ("rollout status is
// only available for RollingUpdate strategy type"); there pods change only when deleted, so the
// sensible verdict is the counts alone: every replica ready and the generation observed.
import { num, verdict, type Obj, type Readiness } from './types.js';

export function statefulSetReadiness(sts: Obj): Readiness {
  const s = sts.status ?? {};
  const wanted = sts.spec?.replicas;
  const desired = typeof wanted === 'number' ? wanted : num(s.replicas);
  const ready = num(s.readyReplicas);
  const strategy = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (!s.observedGeneration || num(sts.metadata?.generation) > num(s.observedGeneration)) {
    return verdict('progressing', 'NotObserved', 'Waiting for statefulset spec update to be observed...', ready, desired);
  }
  if (typeof wanted === 'number' && ready < wanted) {
    return verdict('progressing', 'PodsNotReady', `Waiting for ${wanted - ready} pods to be ready...`, ready, desired);
  }
  if (strategy === 'OnDelete') return verdict('ready', 'PodsReady', `statefulset has ${ready} ready pods (OnDelete: pods update when deleted)`, ready, desired);
  const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition;
  if (typeof partition === 'number' && typeof wanted === 'number') {
    const needed = wanted - partition;
    if (num(s.updatedReplicas) < needed) {
      return verdict('progressing', 'Partitioned', `Waiting for partitioned roll out to finish: ${num(s.updatedReplicas)} out of ${needed} new pods have been updated...`, ready, desired);
    }
    return verdict('ready', 'PartitionRolledOut', `partitioned roll out complete: ${num(s.updatedReplicas)} new pods have been updated...`, ready, desired);
  }
  if (s.updateRevision !== s.currentRevision) {
    return verdict('progressing', 'Updating', `waiting for statefulset rolling update to complete ${num(s.updatedReplicas)} pods at revision ${s.updateRevision}...`, ready, desired);
  }
  return verdict('ready', 'RolledOut', `statefulset rolling update complete ${num(s.currentReplicas)} pods at revision ${s.currentRevision}...`, ready, desired);
}
