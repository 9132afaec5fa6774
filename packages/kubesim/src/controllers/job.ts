// Job controller: pods up to parallelism until completions succeed; failed pods count against
// backoffLimit; conditions SuccessCriteriaMet then Complete, FailureTarget then Failed
// (BackoffLimitExceeded, DeadlineExceeded), with the real reasons and messages.
import type { Obj } from '../store.js';
import { condition, controllerRef, nowIso, ownedBy, setCondition, type Cluster } from './cluster.js';

const SOURCE = { component: 'job-controller' };

export function reconcileJobs(cluster: Cluster, now: number): void {
  const pods = cluster.list('Pod');
  for (const job of cluster.list('Job')) {
    if (job.metadata.deletionTimestamp || job.spec.suspend) continue;
    const status: Obj = structuredClone(job.status ?? {});
    if (condition({ status }, 'Complete')?.status === 'True' || condition({ status }, 'Failed')?.status === 'True') continue;
    const mine = pods.filter(ownedBy(job));
    const succeeded = mine.filter((p) => p.status?.phase === 'Succeeded').length;
    const failed = mine.filter((p) => p.status?.phase === 'Failed').length;
    const active = mine.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !p.metadata.deletionTimestamp);
    const completions = job.spec.completions ?? 1;
    status.startTime ??= nowIso();
    const deadline = job.spec.activeDeadlineSeconds;
    let failure: { reason: string; message: string } | undefined;
    if (failed > (job.spec.backoffLimit ?? 6)) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (deadline !== undefined && now - Date.parse(status.startTime) > deadline * 1000) failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    if (failure) {
      setCondition(status, { type: 'FailureTarget', status: 'True', ...failure });
      for (const p of active) cluster.remove('Pod', p);
      setCondition(status, { type: 'Failed', status: 'True', ...failure });
      cluster.event(job, 'Warning', failure.reason, failure.message, SOURCE);
    } else if (succeeded >= completions) {
      setCondition(status, { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
      setCondition(status, { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
      status.completionTime = nowIso();
      cluster.event(job, 'Normal', 'Completed', 'Job completed', SOURCE);
    } else {
      const want = Math.min(job.spec.parallelism ?? 1, completions - succeeded) - active.length;
      for (let i = 0; i < want; i++) {
        const template = structuredClone(job.spec.template);
        const pod = cluster.create('Pod', job.metadata.namespace, { apiVersion: 'v1', kind: 'Pod', metadata: { ...template.metadata, generateName: `${job.metadata.name}-`, namespace: job.metadata.namespace, ownerReferences: [controllerRef(job)] }, spec: template.spec }, 'kube-controller-manager');
        active.push(pod);
        cluster.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
      }
    }
    status.active = active.length || undefined;
    status.ready = active.filter((p) => condition(p, 'Ready')?.status === 'True').length;
    status.succeeded = succeeded || undefined;
    status.failed = failed || undefined;
    status.terminating = 0;
    status.uncountedTerminatedPods = {};
    for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    cluster.write('Job', { ...job, status });
  }
}
