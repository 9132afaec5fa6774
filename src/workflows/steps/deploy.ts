// One deploy of a manifest set as a new revision (converge and rollback share it): lock, dry run,
// record `pending`, apply and track group by group, prune, record `deployed` | `failed`; with
// --atomic a failure re-applies the last deployed revision.
import type { ResourceAction } from '../../core/events.js';
import { applyOrder, weightOf, type Manifest } from '../../core/manifests.js';
import { readiness } from '../../core/readiness/index.js';
import { inventoryKey, pruneCandidates, type InventoryItem, type ReleaseRecord } from '../../core/release/records.js';
import { InterruptedError, SlipwayError } from '../../errors.js';
import { describeRef, type Cluster, type KubeObject, type Reporter } from '../../ports/index.js';
import { applyPlanned, dryRunAll, ensureNamespace, groupOf, idOf, kindsDefinedHere, type PlannedObject } from './apply.js';
import { acquireLock, lockRef } from './lock.js';
import { deleteObjects } from './prune.js';
import { readRecords, trimRecords, unreadableWarning, writeRecord } from './records.js';
import { trackAll, trackTarget, type TrackResult } from './track.js';

export interface DeployContext {
  cluster: Cluster;
  reporter: Reporter;
  signal?: AbortSignal;
  now?: () => number;
}

export interface DeployInput {
  release: string;
  namespace: string;
  commit: string;
  images: ReleaseRecord['images'];
  manifests: Manifest[];
  valuesChecksum: string;
  timeoutMs: number;
  lockTimeoutMs: number;
  atomic: boolean;
  note?: string;
  /** The namespace and the lease as the caller read them already (while it rendered). */
  firstLook?: { namespace: Promise<KubeObject | null>; lease: Promise<KubeObject | null> };
}

export interface ResourceResult {
  kind: string;
  namespace: string | null;
  name: string;
  action: ResourceAction;
  status: 'ready' | 'failed' | 'timeout' | 'skipped';
  reason: string;
  seconds: number;
}

export interface DeployOutcome {
  revision: number;
  resources: ResourceResult[];
  rolledBackTo?: number;
}

/** A recorded revision's manifests, as rollback and --atomic re-apply them. */
export const recordedManifests = (record: ReleaseRecord): Manifest[] =>
  record.manifests.map((object, index) => ({ source: `revision ${record.revision}`, index, object: object as Manifest['object'] }));

const dedupe = (items: InventoryItem[]) => [...new Map(items.map((i) => [inventoryKey(i), i])).values()];

const inventoryOf = (manifests: Manifest[]): InventoryItem[] =>
  manifests.map((m) => ({ apiVersion: m.object.apiVersion, kind: m.object.kind, name: m.object.metadata.name, ...(m.object.metadata.namespace ? { namespace: m.object.metadata.namespace as string } : {}) }));

export async function deployRelease(ctx: DeployContext, input: DeployInput): Promise<DeployOutcome> {
  const now = ctx.now ?? Date.now;
  // The first requests go out together: discovery of every kind, the namespace, the lease.
  warmDiscovery(ctx, input.manifests);
  const lease = input.firstLook?.lease ?? ctx.cluster.get(lockRef(input.namespace, input.release), ctx.signal);
  lease.catch(() => undefined); // a failure surfaces where the lock awaits it
  const createdNamespace = await ensureNamespace(ctx, input.namespace, input.firstLook?.namespace);
  const lock = await acquireLock(ctx, { namespace: input.namespace, release: input.release, timeoutMs: input.lockTimeoutMs }, createdNamespace ? undefined : lease);
  let rejected = false;
  try {
    const ordered = applyOrder(input.manifests);
    // The dry runs write nothing: they go out while the records are read.
    const dryRun = dryRunAll(ctx, ordered);
    dryRun.catch(() => undefined); // its failure is reported where it is awaited
    const { records, unreadable } = await readRecords(ctx.cluster, input.namespace, input.release, ctx.signal, { namespaceExists: true });
    for (const u of unreadable) ctx.reporter.emit({ kind: 'warning', message: unreadableWarning(u) });
    // We hold the lock: a record still `pending` belongs to a run that died.
    for (const stale of records.filter((r) => r.status === 'pending')) {
      await writeRecord(ctx.cluster, { ...stale, status: 'failed', note: stale.note ?? 'the run stopped before finishing' });
      stale.status = 'failed';
    }
    const planned = await dryRun.catch((err: unknown) => {
      rejected = err instanceof SlipwayError && err.exitCode === 2;
      throw err;
    });
    // Past every record there is, readable or not: a damaged one is never overwritten.
    const revision = Math.max(records[0]?.revision ?? 0, ...unreadable.map((u) => u.revision ?? 0)) + 1;
    const record: ReleaseRecord = {
      release: input.release,
      namespace: input.namespace,
      revision,
      commit: input.commit,
      status: 'pending',
      images: input.images,
      inventory: inventoryOf(ordered),
      valuesChecksum: input.valuesChecksum,
      manifests: ordered.map((m) => m.object),
      startedAt: new Date(now()).toISOString(),
      ...(input.note ? { note: input.note } : {}),
    };
    const previous = records.find((r) => r.status === 'deployed');
    // What the last deployed revision and any later failed ones applied, and this one does not.
    const applied = records.filter((r) => r.revision >= (previous?.revision ?? 0)).flatMap((r) => r.inventory);
    const gone = pruneCandidates(dedupe(applied), record.inventory);
    // A run that writes, prunes and waits for nothing has no window to record as `pending`.
    const quiet = gone.length === 0 && planned.every((p) => p.action === 'unchanged' && readiness(p.live ?? {}).state === 'ready');
    if (!quiet) await writeRecord(ctx.cluster, record, ctx.signal);
    const resources = new Map<string, ResourceResult>();
    try {
      await rollOut(ctx, planned, input.timeoutMs, resources);
      for (const item of await deleteObjects(ctx, gone, { waitMs: 60_000 })) {
        resources.set(describeRef(item), { kind: item.kind, namespace: item.namespace ?? null, name: item.name, action: 'deleted', status: 'ready', reason: 'Pruned', seconds: 0 });
      }
      await Promise.all([writeRecord(ctx.cluster, { ...record, status: 'deployed', finishedAt: new Date(now()).toISOString() }), trimRecords(ctx.cluster, [record, ...records])]);
      return { revision, resources: [...resources.values()] };
    } catch (err) {
      const interrupted = ctx.signal?.aborted || err instanceof InterruptedError;
      await writeRecord(ctx.cluster, { ...record, status: 'failed', finishedAt: new Date(now()).toISOString(), note: interrupted ? 'interrupted' : (err as Error).message });
      if (err instanceof SlipwayError) err.json = { revision, resources: [...resources.values()] };
      if (!input.atomic || interrupted || !previous || !(err instanceof SlipwayError) || err.exitCode === 2) throw err;
      ctx.reporter.emit({ kind: 'warning', message: `--atomic: putting back revision ${previous.revision}` });
      const restored = await restore(ctx, previous, revision + 1, input.timeoutMs, now);
      err.details.push(`--atomic: revision ${previous.revision} (commit ${previous.commit.slice(0, 12)}) re-applied as revision ${revision + 1}: ${restored}`);
      err.json = { revision, resources: [...resources.values()], rolledBackTo: previous.revision };
      throw err;
    }
  } finally {
    await lock.release();
    // Invalid input leaves nothing behind, not even the namespace this run created for it.
    if (rejected && createdNamespace) await ctx.cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name: input.namespace }).catch(() => undefined);
  }
}

/** Asks discovery for every kind at once (kinds a CRD of this set defines may not exist yet: not asked). */
function warmDiscovery(ctx: DeployContext, manifests: Manifest[]): void {
  const definedHere = kindsDefinedHere(manifests);
  const kinds = new Map<string, [string, string]>([['coordination.k8s.io/v1 Lease', ['coordination.k8s.io/v1', 'Lease']]]);
  for (const { object } of manifests) {
    if (!definedHere.has(`${groupOf(object.apiVersion)}/${object.kind}`)) kinds.set(`${object.apiVersion} ${object.kind}`, [object.apiVersion, object.kind]);
  }
  for (const [apiVersion, kind] of kinds.values()) ctx.cluster.isNamespaced(apiVersion, kind, ctx.signal).catch(() => undefined);
}

/** Namespaces, CRDs, then weight groups: each applied, then tracked, before the next. */
async function rollOut(ctx: DeployContext, planned: PlannedObject[], timeoutMs: number, resources: Map<string, ResourceResult>): Promise<void> {
  const now = ctx.now ?? Date.now;
  const deadline = timeoutMs > 0 ? now() + timeoutMs : null;
  const phaseOf = (p: PlannedObject) => (p.object.kind === 'Namespace' ? 'ns' : p.object.kind === 'CustomResourceDefinition' ? 'crd' : `w${weightOf(p.manifest)}`);
  const groups: PlannedObject[][] = [];
  for (const p of planned) {
    const last = groups.at(-1);
    if (last && phaseOf(last[0]!) === phaseOf(p)) last.push(p);
    else groups.push([p]);
  }
  for (const group of groups) {
    if (ctx.signal?.aborted) throw new InterruptedError('interrupted', { hint: 'run converge again to finish' });
    // A kind defined by a CRD of this run can be dry-run only now.
    const late = group.filter((p) => p.predicted === null && p.action === 'created' && p.object.kind !== 'Namespace');
    if (late.length) {
      const checked = await dryRunAll(ctx, late.map((p) => p.manifest));
      checked.forEach((c) => Object.assign(late.find((p) => p.id === c.id)!, c));
    }
    const stored = await applyPlanned(ctx, group);
    // Unchanged objects are tracked only when they are not ready now.
    const toTrack = group.filter((p) => p.action !== 'unchanged' || readiness(stored.get(p.id) ?? p.live ?? {}).state !== 'ready');
    for (const p of group) {
      resources.set(p.id, { kind: p.object.kind, namespace: p.object.metadata.namespace ?? null, name: p.object.metadata.name, action: p.action, status: 'ready', reason: 'Unchanged', seconds: 0 });
    }
    let results: TrackResult[] = [];
    try {
      results = await trackAll(ctx, toTrack.map((p) => trackTarget(p.object)), { deadline });
    } catch (err) {
      // What the tracker knew when it stopped: ready, failed (with its reason), timeout, skipped.
      const tracked = err instanceof SlipwayError ? ((err.json?.tracked as TrackResult[] | undefined) ?? []) : [];
      for (const p of toTrack) {
        const known = tracked.find((x) => x.id === p.id);
        Object.assign(resources.get(p.id)!, known ? { status: known.status, reason: known.reason, seconds: known.seconds } : { status: 'skipped', reason: 'NotFinished' });
      }
      throw err;
    }
    for (const r of results) Object.assign(resources.get(r.id)!, { status: r.status, reason: r.reason, seconds: r.seconds });
  }
}

async function restore(ctx: DeployContext, previous: ReleaseRecord, revision: number, timeoutMs: number, now: () => number): Promise<string> {
  const manifests = recordedManifests(previous);
  const record: ReleaseRecord = { ...previous, revision, status: 'pending', startedAt: new Date(now()).toISOString(), note: `restored revision ${previous.revision} (--atomic)` };
  delete record.finishedAt;
  await writeRecord(ctx.cluster, record);
  try {
    const planned = await dryRunAll(ctx, applyOrder(manifests));
    await rollOut(ctx, planned, timeoutMs, new Map());
    await writeRecord(ctx.cluster, { ...record, status: 'deployed', finishedAt: new Date(now()).toISOString() });
    return 'ready';
  } catch (err) {
    await writeRecord(ctx.cluster, { ...record, status: 'failed', finishedAt: new Date(now()).toISOString(), note: (err as Error).message });
    return `failed too: ${(err as Error).message}`;
  }
}
