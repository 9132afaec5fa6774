// Release records (SPEC section 7): one Secret per revision, `slipway.release.<release>.v<N>`,
// type `slipway.dev/release`, the record gzipped JSON under `release`. Pure: encode, decode,
// and which revisions to keep.
import { gunzipSync, gzipSync } from 'node:zlib';

export type ReleaseStatus = 'pending' | 'deployed' | 'failed' | 'superseded';

export interface InventoryItem {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ReleaseRecord {
  release: string;
  namespace: string;
  revision: number;
  commit: string;
  status: ReleaseStatus;
  images: { name: string; ref: string; digest: string }[];
  inventory: InventoryItem[];
  valuesChecksum: string;
  /** The applied manifests, so that rollback re-applies exactly them. */
  manifests: Record<string, unknown>[];
  startedAt: string;
  finishedAt?: string;
  /** Why it failed, or which revision it rolled back to. */
  note?: string;
}

export const RECORD_TYPE = 'slipway.dev/release';
export const RECORD_LABEL = 'slipway.dev/release-record';
const REVISION_LABEL = 'slipway.dev/revision';
export const KEPT_REVISIONS = 10;

export const recordName = (release: string, revision: number) => `slipway.release.${release}.v${revision}`;

export function encodeRecord(record: ReleaseRecord): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: RECORD_TYPE,
    metadata: {
      name: recordName(record.release, record.revision),
      namespace: record.namespace,
      labels: { [RECORD_LABEL]: record.release, [REVISION_LABEL]: String(record.revision), 'slipway.dev/status': record.status, 'app.kubernetes.io/managed-by': 'slipway' },
    },
    data: { release: gzipSync(Buffer.from(JSON.stringify(record))).toString('base64') },
  };
}

/** The record a Secret holds, or null when it is not one (or is damaged). */
export function decodeRecord(secret: { type?: unknown; data?: Record<string, string> }): ReleaseRecord | null {
  if (secret.type !== RECORD_TYPE || typeof secret.data?.release !== 'string') return null;
  try {
    const record = JSON.parse(gunzipSync(Buffer.from(secret.data.release, 'base64')).toString('utf8')) as ReleaseRecord;
    return typeof record.revision === 'number' ? record : null;
  } catch {
    return null;
  }
}

/** The revision a record's Secret is named for, readable when its content is not (damaged by hand). */
export function recordRevisionOf(secret: { metadata: { name: string; labels?: Record<string, string> } }): number | undefined {
  const label = Number(secret.metadata.labels?.[REVISION_LABEL]);
  if (Number.isSafeInteger(label) && label > 0) return label;
  const named = /\.v([1-9][0-9]{0,8})$/.exec(secret.metadata.name);
  return named ? Number(named[1]) : undefined;
}

/** Newest first. */
export const byRevision = (records: ReleaseRecord[]) => [...records].sort((a, b) => b.revision - a.revision);

/** Revisions beyond the newest KEPT_REVISIONS. */
export function revisionsToDrop(records: ReleaseRecord[]): ReleaseRecord[] {
  return byRevision(records).slice(KEPT_REVISIONS);
}

export const inventoryKey = (i: InventoryItem) => `${i.apiVersion.split('/').length > 1 ? i.apiVersion.split('/')[0] : ''}/${i.kind}/${i.namespace ?? ''}/${i.name}`;

/** Objects of the previous inventory that the new one no longer has (group, kind, namespace, name). */
export function pruneCandidates(previous: InventoryItem[], current: InventoryItem[]): InventoryItem[] {
  const kept = new Set(current.map(inventoryKey));
  return previous.filter((i) => !kept.has(inventoryKey(i)));
}
