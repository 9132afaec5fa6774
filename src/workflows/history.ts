// `slipway history`: the release's revisions, newest first.
import type { ReleaseRecord } from '../core/release/records.js';
import type { Cluster, SourceRepo } from '../ports/index.js';
import { resolveIdentity, type IdentityOptions } from './release.js';
import { listRecords } from './steps/records.js';

export async function historyWorkflow(
  options: IdentityOptions & { signal?: AbortSignal },
  deps: { source: SourceRepo; cluster: () => Promise<Cluster> },
): Promise<{ release: string; namespace: string; records: ReleaseRecord[] }> {
  const { release, namespace } = await resolveIdentity(options, deps);
  const records = await listRecords(await deps.cluster(), namespace, release, options.signal);
  return { release, namespace, records };
}
