// `slipway dismiss`: deletes every object of the release (newest inventory first, in reverse
// apply order), its records and its lock; waits until they are gone. --with-namespace also
// deletes the namespace.
import { applyOrder, type Manifest } from '../core/manifests.js';
import { inventoryKey, recordName, type InventoryItem } from '../core/release/records.js';
import { leaseName } from '../core/release/lease.js';
import type { Cluster, Reporter, SourceRepo } from '../ports/index.js';
import { resolveIdentity, type IdentityOptions } from './release.js';
import { acquireLock } from './steps/lock.js';
import { deleteObjects } from './steps/prune.js';
import { readRecords } from './steps/records.js';

export interface DismissOptions extends IdentityOptions {
  withNamespace: boolean;
  lockTimeoutMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function dismissWorkflow(
  options: DismissOptions,
  deps: { source: SourceRepo; reporter: Reporter; cluster: () => Promise<Cluster> },
): Promise<{ release: string; namespace: string; deleted: InventoryItem[] }> {
  const { release, namespace } = await resolveIdentity(options, deps);
  const cluster = await deps.cluster();
  const ctx = { cluster, reporter: deps.reporter, signal: options.signal };
  const waitMs = options.timeoutMs > 0 ? options.timeoutMs : 600_000;
  const nsRef = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
  if (!(await cluster.get(nsRef, options.signal))) return { release, namespace, deleted: [] };
  const lock = await acquireLock(ctx, { namespace, release, timeoutMs: options.lockTimeoutMs });
  const deleted: InventoryItem[] = [];
  try {
    const { records, unreadable } = await readRecords(cluster, namespace, release, options.signal);
    // A damaged record goes with the release, but what only it applied cannot be known.
    for (const u of unreadable) deps.reporter.emit({ kind: 'warning', message: `release record ${u.name} cannot be read: deleted with the release; objects only it applied are left` });
    const seen = new Map<string, InventoryItem>();
    for (const r of records) for (const item of r.inventory) if (!seen.has(inventoryKey(item))) seen.set(inventoryKey(item), item);
    const asManifests = [...seen.values()].map((item, index) => ({ source: '', index, object: { apiVersion: item.apiVersion, kind: item.kind, metadata: { name: item.name, namespace: item.namespace } } }) as Manifest);
    // Reverse apply order: workloads before what they use; the release namespace only on request.
    const items = applyOrder(asManifests)
      .reverse()
      .map((m) => seen.get(inventoryKey({ apiVersion: m.object.apiVersion, kind: m.object.kind, name: m.object.metadata.name, namespace: m.object.metadata.namespace as string | undefined }))!)
      .filter((i) => !(i.kind === 'Namespace' && i.name === namespace));
    deleted.push(...(await deleteObjects(ctx, items, { waitMs })));
    for (const name of [...records.map((r) => recordName(release, r.revision)), ...unreadable.map((u) => u.name)]) await cluster.delete({ apiVersion: 'v1', kind: 'Secret', namespace, name });
  } finally {
    await lock.release();
  }
  await cluster.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace, name: leaseName(release) });
  if (options.withNamespace) deleted.push(...(await deleteObjects(ctx, [nsRef], { waitMs })));
  return { release, namespace, deleted };
}
