// `slipway history`: the release's revisions, newest first.
import type { ReleaseRecord } from '../core/release/records.js';
import type { Cluster, Reporter, SourceRepo } from '../ports/index.js';
import { resolveIdentity, type IdentityOptions } from './release.js';
import { readRecords, unreadableWarning } from './steps/records.js';

export async function historyWorkflow(
  options: IdentityOptions & { signal?: AbortSignal },
  deps: { source: SourceRepo; cluster: () => Promise<Cluster>; reporter?: Reporter },
): Promise<{ release: string; namespace: string; records: ReleaseRecord[] }> {
  const { release, namespace } = await resolveIdentity(options, deps);
  const { records, unreadable } = await readRecords(await deps.cluster(), namespace, release, options.signal);
  for (const u of unreadable) deps.reporter?.emit({ kind: 'warning', message: unreadableWarning(u) });
  return { release, namespace, records };
}
