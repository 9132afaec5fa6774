// `slipway rollback [--revision N]`: re-applies an earlier deployed revision's manifests as a new
// revision, tracked like converge. Without --revision: the deployed revision before the newest one.
import { InputError } from '../errors.js';
import type { Cluster, Reporter, SourceRepo } from '../ports/index.js';
import { resolveIdentity, type IdentityOptions } from './release.js';
import { deployRelease, recordedManifests, type DeployOutcome } from './steps/deploy.js';
import { listRecords } from './steps/records.js';

export interface RollbackOptions extends IdentityOptions {
  revision?: number;
  timeoutMs: number;
  lockTimeoutMs: number;
  signal?: AbortSignal;
}

export async function rollbackWorkflow(
  options: RollbackOptions,
  deps: { source: SourceRepo; reporter: Reporter; cluster: () => Promise<Cluster> },
): Promise<DeployOutcome & { release: string; namespace: string; commit: string; target: number }> {
  const { release, namespace } = await resolveIdentity(options, deps);
  const cluster = await deps.cluster();
  const records = await listRecords(cluster, namespace, release, options.signal);
  const deployed = records.filter((r) => r.status === 'deployed' || r.status === 'superseded');
  if (records.length === 0) throw new InputError(`release ${release} has no revisions in namespace ${namespace}`, { hint: 'check --release, --namespace and the kube context (slipway history lists revisions)' });
  const target = options.revision !== undefined ? records.find((r) => r.revision === options.revision) : deployed.find((r) => r.revision < (deployed[0]?.revision ?? 0));
  if (!target) {
    throw new InputError(options.revision !== undefined ? `release ${release} has no revision ${options.revision}` : `release ${release} has no earlier deployed revision to roll back to`, {
      hint: `revisions: ${records.map((r) => `${r.revision} (${r.status})`).join(', ')}`,
    });
  }
  if (target.manifests.length === 0) throw new InputError(`revision ${target.revision} recorded no manifests`, { hint: 'pick another --revision' });
  const outcome = await deployRelease(
    { cluster, reporter: deps.reporter, signal: options.signal },
    {
      release,
      namespace,
      commit: target.commit,
      images: target.images,
      manifests: recordedManifests(target),
      valuesChecksum: target.valuesChecksum,
      timeoutMs: options.timeoutMs,
      lockTimeoutMs: options.lockTimeoutMs,
      atomic: false,
      note: `rollback to revision ${target.revision}`,
    },
  );
  return { ...outcome, release, namespace, commit: target.commit, target: target.revision };
}
