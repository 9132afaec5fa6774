// Deleting objects: prune after a successful rollout (what left the inventory), and dismiss.
// Deletions wait until the objects are gone, so the next step sees the cluster as it will be.
import type { InventoryItem } from '../../core/release/records.js';
import { EnvironmentError } from '../../errors.js';
import { describeRef, type Cluster, type ObjectRef, type Reporter } from '../../ports/index.js';

export async function deleteObjects(
  ctx: { cluster: Cluster; reporter: Reporter; signal?: AbortSignal },
  items: InventoryItem[],
  options: { waitMs: number },
): Promise<InventoryItem[]> {
  const deleted: InventoryItem[] = [];
  for (const item of items) {
    try {
      if (await ctx.cluster.delete(item, ctx.signal)) deleted.push(item);
      ctx.reporter.emit({ kind: 'applied', id: describeRef(item), action: 'deleted' });
    } catch (err) {
      // A kind the cluster no longer serves (its CRD went first) has nothing left to delete.
      if (!(err instanceof Error && /has no kind/.test(err.message))) throw err;
    }
  }
  await awaitGone(ctx, deleted, options.waitMs);
  return deleted;
}

/** Returns once every object is gone; exit 3 if one is still there after `waitMs`. */
export async function awaitGone(ctx: { cluster: Cluster; signal?: AbortSignal }, items: readonly ObjectRef[], waitMs: number): Promise<void> {
  const until = Date.now() + waitMs;
  for (const item of items) {
    for (;;) {
      const live = await ctx.cluster.get(item, ctx.signal).catch((err: Error) => (/has no kind/.test(err.message) ? null : Promise.reject(err)));
      if (!live) break;
      if (Date.now() > until) throw new EnvironmentError(`${describeRef(item)} is still being deleted`, { hint: 'a finalizer may be holding it; look at metadata.finalizers' });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
