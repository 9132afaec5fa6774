// Apply (SPEC section 7): the release namespace when missing, a server-side dry run of every
// object before the first write (any rejection: nothing written, exit 2 naming the template),
// then server-side apply of what would change. An object whose dry-run result equals the live
// object is not written at all, so a no-op converge moves no resourceVersion.
import { mapLimited } from '../../core/map-limited.js';
import { sameObject } from '../../core/release/compare.js';
import type { Manifest } from '../../core/manifests.js';
import type { ResourceAction } from '../../core/events.js';
import { InputError, SlipwayError } from '../../errors.js';
import { awaitGone } from './prune.js';
import { describeRef, refOf, type Cluster, type KubeObject, type Reporter } from '../../ports/index.js';

export interface ApplyContext {
  cluster: Cluster;
  reporter: Reporter;
  signal?: AbortSignal;
}

export interface PlannedObject {
  manifest: Manifest;
  object: KubeObject;
  id: string;
  live: KubeObject | null;
  /** What the server would store; null when it cannot be dry-run yet (its CRD is applied in this run). */
  predicted: KubeObject | null;
  action: Exclude<ResourceAction, 'deleted'>;
}

const PARALLEL = 8;

/** `group/Kind` of every kind a CustomResourceDefinition in the set defines (it may not exist yet). */
export function kindsDefinedHere(manifests: Manifest[]): Set<string> {
  return new Set(
    manifests
      .filter((m) => m.object.kind === 'CustomResourceDefinition')
      .map((m) => {
        const spec = m.object.spec as { group?: string; names?: { kind?: string } } | undefined;
        return `${spec?.group}/${spec?.names?.kind}`;
      }),
  );
}

export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export const objectOf = (m: Manifest) => m.object as unknown as KubeObject;
export const idOf = (o: KubeObject) => describeRef(refOf(o));

/**
 * Creates the namespace when missing, or once one being deleted is gone; true when this run
 * created it. `seen`: the namespace as read earlier; only its presence is trusted (absent is read again).
 */
export async function ensureNamespace(ctx: ApplyContext, namespace: string, seen?: Promise<KubeObject | null>): Promise<boolean> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: namespace };
  // An absent namespace in the first look is read again: that look may be older than this run's start.
  const live = (await seen?.catch(() => null)) ?? (await ctx.cluster.get(ref, ctx.signal));
  // One being deleted (an earlier run's cleanup, `kubectl delete`) takes nothing new: wait until it is gone.
  if (live && !live.metadata.deletionTimestamp) return false;
  if (live) {
    ctx.reporter.emit({ kind: 'waiting', message: `namespace ${namespace} is being deleted; waiting for it to go before creating it again` });
    await awaitGone(ctx, [ref], NAMESPACE_GONE_WITHIN_MS);
  }
  await ctx.cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { signal: ctx.signal });
  ctx.reporter.emit({ kind: 'applied', id: describeRef(ref), action: 'created' });
  return true;
}

const NAMESPACE_GONE_WITHIN_MS = 120_000;

/**
 * Dry-runs every object and classifies it. Objects of kinds the cluster does not know yet are
 * accepted only when a CRD in the same set defines them (they are applied after it).
 */
export async function dryRunAll(ctx: ApplyContext, manifests: Manifest[], options: { missingNamespaces?: Set<string> } = {}): Promise<PlannedObject[]> {
  const definedHere = kindsDefinedHere(manifests);
  const problems: string[] = [];
  let rejected = 0;
  let first: SlipwayError | undefined;
  const planned = await mapLimited(manifests, PARALLEL, async (manifest): Promise<PlannedObject | null> => {
    const object = objectOf(manifest);
    const id = idOf(object);
    const ns = object.metadata.namespace;
    try {
      if (ns && options.missingNamespaces?.has(ns)) return { manifest, object, id, live: null, predicted: null, action: 'created' };
      if (definedHere.has(`${groupOf(object.apiVersion)}/${object.kind}`)) {
        const known = await ctx.cluster.isNamespaced(object.apiVersion, object.kind, ctx.signal).then(() => true, () => false);
        if (!known) return { manifest, object, id, live: null, predicted: null, action: 'created' };
      }
      // Both only read: asked together.
      const [live, predicted] = await Promise.all([ctx.cluster.get(refOf(object), ctx.signal), ctx.cluster.apply(object, { dryRun: true, signal: ctx.signal })]);
      const action = !live ? 'created' : sameObject(live, predicted) ? 'unchanged' : 'updated';
      return { manifest, object, id, live, predicted, action };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      first ??= err;
      rejected++;
      problems.push(`${manifest.source}: ${id}: ${err.message.replace(/^the cluster rejected [^:]+: /, '')}`, ...err.details.map((d) => `    ${d}`));
      return null;
    }
  });
  if (problems.length) {
    throw new InputError(
      rejected === 1 ? `the cluster rejected ${problems[0]}` : `the cluster rejected ${rejected} objects`,
      { details: rejected === 1 ? problems.slice(1) : problems, hint: first?.hint ?? 'fix the templates; nothing was written', cause: first },
    );
  }
  return planned as PlannedObject[];
}

/** Applies what would change; returns the stored objects. Unchanged objects are not written. */
export async function applyPlanned(ctx: ApplyContext, planned: PlannedObject[]): Promise<Map<string, KubeObject>> {
  const stored = new Map<string, KubeObject>();
  await mapLimited(planned, PARALLEL, async (p) => {
    if (ctx.signal?.aborted) return;
    if (p.action === 'unchanged' && p.live) {
      stored.set(p.id, p.live);
    } else {
      try {
        stored.set(p.id, await ctx.cluster.apply(p.object, { signal: ctx.signal }));
      } catch (err) {
        if (err instanceof InputError) throw new InputError(`${p.manifest.source}: ${err.message}`, { details: err.details, hint: err.hint, cause: err });
        throw err;
      }
    }
    ctx.reporter.emit({ kind: 'applied', id: p.id, action: p.action });
  });
  return stored;
}
