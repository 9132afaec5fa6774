// The release lock (SPEC section 7): a Lease `slipway.lock.<release>` in the release namespace,
// renewed while working, released on every exit path; a second run waits (naming the holder) up
// to --lock-timeout, then exit 3; an expired lease (its holder gone) is taken over.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { decideLease, leaseName, leaseSpec, RENEW_EVERY_MS } from '../../core/release/lease.js';
import { EnvironmentError, InterruptedError } from '../../errors.js';
import type { Cluster, KubeObject, Reporter } from '../../ports/index.js';

export interface HeldLock {
  holder: string;
  release(): Promise<void>;
}

const LEASE_API = 'coordination.k8s.io/v1';

export const lockRef = (namespace: string, release: string) => ({ apiVersion: LEASE_API, kind: 'Lease', namespace, name: leaseName(release) });

export async function acquireLock(
  ctx: { cluster: Cluster; reporter: Reporter; signal?: AbortSignal; now?: () => number },
  target: { namespace: string; release: string; timeoutMs: number },
  /** The lease as read already (alongside other first requests), used for the first decision. */
  firstLook?: Promise<KubeObject | null>,
): Promise<HeldLock> {
  const now = ctx.now ?? Date.now;
  const holder = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  const ref = lockRef(target.namespace, target.release);
  const giveUp = now() + target.timeoutMs;
  let announced = '';
  let announcedAt = 0;
  for (;;) {
    if (ctx.signal?.aborted) throw new InterruptedError('interrupted while waiting for the release lock');
    const live = await (firstLook ?? ctx.cluster.get(ref, ctx.signal));
    firstLook = undefined;
    const decision = decideLease(live?.spec as never, holder, now());
    if (decision.action === 'take') {
      const lease = { apiVersion: LEASE_API, kind: 'Lease', metadata: { ...ref, ...(live ? { resourceVersion: live.metadata.resourceVersion } : {}) }, spec: leaseSpec(holder, now()) } as KubeObject;
      delete (lease.metadata as Record<string, unknown>).apiVersion;
      delete (lease.metadata as Record<string, unknown>).kind;
      let taken: KubeObject;
      try {
        // create or a resourceVersion-guarded replace: of two runs taking it at once, one gets 409.
        taken = live ? await ctx.cluster.replace(lease, ctx.signal) : await ctx.cluster.create(lease, ctx.signal);
      } catch (err) {
        if (err instanceof EnvironmentError && /conflict|already exists/i.test(err.message)) continue;
        throw err;
      }
      if (decision.why === 'expired') ctx.reporter.emit({ kind: 'warning', message: `took over the release lock of ${(live?.spec as { holderIdentity?: string }).holderIdentity} (expired)` });
      return heldLock(ctx, ref, holder, now, taken);
    }
    if (now() >= giveUp) {
      throw new EnvironmentError(`release ${target.release} is locked by ${decision.holder}`, {
        hint: `another converge of this release is running; wait for it, or raise --lock-timeout (the lease expires ${Math.ceil(decision.expiresInMs / 1000)}s after its holder stops renewing)`,
      });
    }
    // Said when the holder changes, and again every 10 s: a waiting run is never silent for long.
    if (announced !== decision.holder || now() - announcedAt >= 10_000) {
      announced = decision.holder;
      announcedAt = now();
      ctx.reporter.emit({ kind: 'waiting', message: `release ${target.release} is locked by ${decision.holder}; waiting (--lock-timeout ${Math.round(target.timeoutMs / 1000)}s)` });
    }
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(100, giveUp - now()))));
  }
}

function heldLock(ctx: { cluster: Cluster; reporter: Reporter }, ref: { apiVersion: string; kind: string; namespace: string; name: string }, holder: string, now: () => number, taken: KubeObject): HeldLock {
  // The lease as this run last wrote it: release replaces exactly that version (409 if anyone else wrote since).
  let mine = taken;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    const live = await ctx.cluster.get(ref);
    const spec = live?.spec as { holderIdentity?: string; acquireTime?: string } | undefined;
    if (!live || spec?.holderIdentity !== holder) return;
    mine = await ctx.cluster.replace({ ...live, spec: leaseSpec(holder, now(), spec.acquireTime) } as KubeObject);
  };
  const timer = setInterval(() => {
    renewing = renew().catch((err: Error) => ctx.reporter.emit({ kind: 'warning', message: `could not renew the release lock: ${err.message}` }));
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    holder,
    async release() {
      clearInterval(timer);
      await renewing;
      // Released by clearing the holder, so the next run takes it at once (no signal: this runs after ^C too).
      const { holderIdentity: _released, ...spec } = mine.spec as Record<string, unknown>;
      await ctx.cluster.replace({ ...mine, spec } as KubeObject).catch(() => undefined);
    },
  };
}
