// Release records in the cluster: list, write, trim to ten (the pure parts are core/release).
import { byRevision, decodeRecord, encodeRecord, RECORD_LABEL, recordName, recordRevisionOf, revisionsToDrop, type ReleaseRecord } from '../../core/release/records.js';
import type { Cluster, KubeObject } from '../../ports/index.js';

export async function listRecords(cluster: Cluster, namespace: string, release: string, signal?: AbortSignal, options: { namespaceExists?: boolean } = {}): Promise<ReleaseRecord[]> {
  return (await readRecords(cluster, namespace, release, signal, options)).records;
}

/** A record's Secret whose content cannot be read (edited by hand, truncated): named, never overwritten. */
export interface UnreadableRecord {
  name: string;
  revision?: number;
}

/** The release's records, newest first, and the Secrets among them that cannot be read. */
export async function readRecords(
  cluster: Cluster,
  namespace: string,
  release: string,
  signal?: AbortSignal,
  options: { namespaceExists?: boolean } = {},
): Promise<{ records: ReleaseRecord[]; unreadable: UnreadableRecord[] }> {
  if (!options.namespaceExists && !(await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, signal))) return { records: [], unreadable: [] };
  const list = await cluster.list('v1', 'Secret', namespace, { labelSelector: `${RECORD_LABEL}=${release}` }, signal);
  const records: ReleaseRecord[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const secret of list.items) {
    const record = decodeRecord(secret as never);
    if (record === null) unreadable.push({ name: secret.metadata.name, revision: recordRevisionOf(secret as never) });
    else if (record.release === release) records.push(record);
  }
  return { records: byRevision(records), unreadable };
}

export const unreadableWarning = (u: UnreadableRecord) =>
  `release record ${u.name} cannot be read (changed by hand?): left as it is, and left out of history, rollback and pruning`;

/** Creates or overwrites the record's Secret (apply: idempotent, no read needed). */
export async function writeRecord(cluster: Cluster, record: ReleaseRecord, signal?: AbortSignal): Promise<void> {
  await cluster.apply(encodeRecord(record) as KubeObject, { signal });
}

export async function trimRecords(cluster: Cluster, records: ReleaseRecord[]): Promise<void> {
  await Promise.all(revisionsToDrop(records).map((r) => cluster.delete({ apiVersion: 'v1', kind: 'Secret', namespace: r.namespace, name: recordName(r.release, r.revision) })));
}
