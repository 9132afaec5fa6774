// Release records in the cluster: list, write, trim to ten (the pure parts are core/release).
import { byRevision, decodeRecord, encodeRecord, RECORD_LABEL, recordName, revisionsToDrop, type ReleaseRecord } from '../../core/release/records.js';
import type { Cluster, KubeObject } from '../../ports/index.js';

export async function listRecords(cluster: Cluster, namespace: string, release: string, signal?: AbortSignal, options: { namespaceExists?: boolean } = {}): Promise<ReleaseRecord[]> {
  if (!options.namespaceExists && !(await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, signal))) return [];
  const list = await cluster.list('v1', 'Secret', namespace, { labelSelector: `${RECORD_LABEL}=${release}` }, signal);
  return byRevision(list.items.map((s) => decodeRecord(s as never)).filter((r): r is ReleaseRecord => r !== null && r.release === release));
}

/** Creates or overwrites the record's Secret (apply: idempotent, no read needed). */
export async function writeRecord(cluster: Cluster, record: ReleaseRecord, signal?: AbortSignal): Promise<void> {
  await cluster.apply(encodeRecord(record) as KubeObject, { signal });
}

export async function trimRecords(cluster: Cluster, records: ReleaseRecord[]): Promise<void> {
  await Promise.all(revisionsToDrop(records).map((r) => cluster.delete({ apiVersion: 'v1', kind: 'Secret', namespace: r.namespace, name: recordName(r.release, r.revision) })));
}
