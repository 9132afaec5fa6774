// Job: Complete is ready; Failed (or FailureTarget, set before the pods are gone) is a failure.
import { condition, num, verdict, type Obj, type Readiness } from './types.js';

export function jobReadiness(job: Obj): Readiness {
  const s = job.status ?? {};
  const completions = typeof job.spec?.completions === 'number' ? job.spec.completions : 1;
  const succeeded = num(s.succeeded);
  for (const type of ['Failed', 'FailureTarget']) {
    const c = condition(job, type);
    if (c?.status === 'True') return verdict('failed', c.reason ?? type, c.message ?? `job ${type.toLowerCase()}`, succeeded, completions);
  }
  const complete = condition(job, 'Complete');
  if (complete?.status === 'True') return verdict('ready', 'Complete', `job completed (${succeeded}/${completions})`, succeeded, completions);
  return verdict('progressing', 'Running', `${succeeded}/${completions} completions, ${num(s.active)} active, ${num(s.failed)} failed`, succeeded, completions);
}
