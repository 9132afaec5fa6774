// Tracking (SPEC section 8): watches (never polls) the applied objects, the pods of their current
// revision and Warning events; decides with the pure rules of core/readiness; fails fast on the
// error budget, immediate failures and long unschedulable pods; exit 4 at the deadline.
import { podProblems, readiness, unschedulableSince, WORKLOAD_KINDS, type Readiness } from '../../core/readiness/index.js';
import { InterruptedError, TimeoutError, WorkFailedError } from '../../errors.js';
import { refOf, type Cluster, type KubeObject, type ObjectRef, type Reporter } from '../../ports/index.js';
import { gatherEvidence } from './evidence.js';
import { currentPods } from './revision-pods.js';
import { key, WatchCache } from './watch-cache.js';

export interface TrackTarget {
  id: string;
  ref: ObjectRef;
  /** slipway.dev/track: ready (default), present, none. */
  mode: 'ready' | 'present' | 'none';
  failuresAllowedPerReplica: number;
  logLines: number;
}

export interface TrackResult {
  id: string;
  ref: ObjectRef;
  status: 'ready' | 'failed' | 'timeout' | 'skipped';
  reason: string;
  message: string;
  seconds: number;
}

export interface TrackContext {
  cluster: Cluster;
  reporter: Reporter;
  signal?: AbortSignal;
  now?: () => number;
}

const SETTLE_MS = 1_000;
const UNSCHEDULABLE_MS = 30_000;
const HEARTBEAT_MS = 10_000;

export function trackTarget(object: KubeObject): TrackTarget {
  const a = object.metadata.annotations ?? {};
  const mode = a['slipway.dev/track'] === 'present' || a['slipway.dev/track'] === 'none' ? a['slipway.dev/track'] : 'ready';
  const allowed = Number(a['slipway.dev/failures-allowed-per-replica'] ?? 1);
  const lines = Number(a['slipway.dev/log-lines'] ?? 50);
  return {
    id: `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`,
    ref: refOf(object),
    mode,
    failuresAllowedPerReplica: Number.isFinite(allowed) && allowed >= 0 ? allowed : 1,
    logLines: Number.isFinite(lines) && lines > 0 ? Math.min(lines, 1000) : 50,
  };
}

interface State {
  target: TrackTarget;
  started: number;
  verdict?: Readiness;
  readySince?: number;
  errors: Set<string>;
  unschedulableSeen: Map<string, number>;
  done?: TrackResult;
}

/** Tracks until every target is ready; throws WorkFailedError (exit 1) or TimeoutError (exit 4). */
export async function trackAll(ctx: TrackContext, targets: TrackTarget[], options: { deadline: number | null }): Promise<TrackResult[]> {
  const now = ctx.now ?? Date.now;
  const states = targets.map((target): State => ({ target, started: now(), errors: new Set(), unschedulableSeen: new Map() }));
  for (const s of states) if (s.target.mode === 'none') s.done = result(s, 'skipped', 'NotTracked', 'slipway.dev/track: none', now());
  if (states.every((s) => s.done)) return states.map((s) => s.done!);

  const stop = new AbortController();
  const onAbort = () => (stop.abort(), wake());
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let wake: () => void = () => undefined;
  const changed = () => wake();
  const caches = new Map<string, WatchCache>();
  const cacheFor = (apiVersion: string, kind: string, namespace: string | undefined, options = {}) => {
    const k = `${apiVersion}/${kind}/${namespace ?? ''}/${JSON.stringify(options)}`;
    let c = caches.get(k);
    if (!c) {
      c = new WatchCache(ctx.cluster, apiVersion, kind, namespace, options, changed);
      caches.set(k, c);
      void c.run(stop.signal);
    }
    return c;
  };
  const pending = () => states.filter((s) => !s.done);
  for (const s of pending()) {
    const { ref } = s.target;
    cacheFor(ref.apiVersion, ref.kind, ref.namespace, { fieldSelector: `metadata.name=${ref.name}` });
    if (WORKLOAD_KINDS.has(ref.kind) || ref.kind === 'Pod') {
      cacheFor('v1', 'Pod', ref.namespace);
      cacheFor('v1', 'Event', ref.namespace, { fieldSelector: 'type=Warning' });
      if (ref.kind === 'Deployment') cacheFor('apps/v1', 'ReplicaSet', ref.namespace);
    }
  }
  const lookup = (apiVersion: string, kind: string, namespace: string | undefined) =>
    [...caches.values()].filter((c) => c.apiVersion === apiVersion && c.kind === kind && c.namespace === namespace).flatMap((c) => [...c.objects.values()]);

  let lastBeat = now();
  try {
    for (;;) {
      if (ctx.signal?.aborted) throw new InterruptedError('interrupted while tracking the rollout', { hint: 'run converge again to finish the rollout' });
      const t = now();
      const broken = [...caches.values()].find((c) => c.error);
      if (broken) throw broken.error;
      for (const s of pending()) evaluate(s, t);
      const failed = states.find((s) => s.done?.status === 'failed');
      if (failed) {
        const evidence = await gatherEvidence(ctx.cluster, failed.target, lookup, ctx.signal);
        const error = new WorkFailedError(`rollout failed: ${failed.target.id}: ${failed.done!.reason}: ${failed.done!.message}`, {
          details: evidence,
          hint: 'fix the cause above and converge again (with --atomic, slipway puts the last deployed revision back)',
        });
        error.json = { tracked: outcome('skipped', t) };
        throw error;
      }
      if (pending().length === 0) return states.map((s) => s.done!);
      if (options.deadline !== null && t >= options.deadline) {
        const error = new TimeoutError(`timed out: ${pending().length} resource${pending().length === 1 ? '' : 's'} not ready`, {
          details: pending().map((s) => `${s.target.id}: ${s.verdict ? `${s.verdict.reason}: ${s.verdict.message}` : 'not observed yet'}`),
          hint: 'raise --timeout if the rollout is just slow, or look at the reasons above',
        });
        error.json = { tracked: outcome('timeout', t) };
        throw error;
      }
      if (t - lastBeat >= HEARTBEAT_MS) {
        lastBeat = t;
        ctx.reporter.emit({ kind: 'waiting', message: `still working: ${pending().map((s) => `${s.target.id} (${s.verdict?.message ?? 'waiting'})`).join(', ')}` });
      }
      // Sleep until something changes, a settle window ends, a heartbeat or the deadline is due.
      const settleDue = pending().map((s) => (s.readySince !== undefined ? s.readySince + SETTLE_MS : Infinity));
      const due = Math.min(lastBeat + HEARTBEAT_MS, options.deadline ?? Infinity, ...settleDue, t + 5_000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(10, due - now()));
        wake = () => (clearTimeout(timer), resolve());
      });
      wake = () => undefined;
    }
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }

  /** Every target's result so far; the unfinished ones get `unfinished`. */
  function outcome(unfinished: 'timeout' | 'skipped', t: number): TrackResult[] {
    return states.map((s) => s.done ?? result(s, unfinished, s.verdict?.reason ?? 'NotObserved', s.verdict?.message ?? '', t));
  }

  function evaluate(s: State, t: number): void {
    const { ref } = s.target;
    const object = lookup(ref.apiVersion, ref.kind, ref.namespace).find((o) => o.metadata.name === ref.name);
    if (!object) {
      s.verdict = { state: 'progressing', reason: 'NotFound', message: 'waiting for the object to appear', progress: { ready: 0, desired: 0 } };
      s.readySince = undefined;
      return;
    }
    if (s.target.mode === 'present') {
      s.done = result(s, 'ready', 'Present', 'exists', t);
      emit(s.target.id, 'ready', 'exists', 1, 1);
      return;
    }
    const pods = currentPods(object, lookup);
    const verdict = readiness(object, { pods });
    s.verdict = verdict;
    // The error budget: each distinct (pod, container, reason, restart) observation counts once.
    for (const p of pods.flatMap(podProblems)) if (!p.immediate) s.errors.add(`${p.pod}/${p.container}/${p.reason}/${p.restartCount}`);
    const allowed = s.target.failuresAllowedPerReplica * Math.max(1, verdict.progress.desired);
    const problem = pods.flatMap(podProblems)[0];
    if (verdict.state === 'progressing' && problem && s.errors.size > allowed) {
      s.verdict = { ...verdict, state: 'failed', reason: problem.reason };
    }
    for (const pod of pods) {
      const since = unschedulableSince(pod);
      if (since === null) continue;
      const first = s.unschedulableSeen.get(key(pod)) ?? (Date.parse(since) || t);
      s.unschedulableSeen.set(key(pod), first);
      if (t - first > UNSCHEDULABLE_MS) s.verdict = { ...verdict, state: 'failed', reason: 'Unschedulable', message: `pod ${pod.metadata.name} unschedulable for over 30s: ${verdict.message}` };
    }
    const v = s.verdict;
    emit(s.target.id, v.state, v.message, v.progress.ready, v.progress.desired);
    if (v.state === 'failed') {
      s.done = result(s, 'failed', v.reason, v.message, t);
    } else if (v.state === 'ready') {
      // Workloads must stay ready for a moment: a container that exits right after starting is
      // Ready for an instant.
      const settle = WORKLOAD_KINDS.has(ref.kind) || ref.kind === 'Pod' ? SETTLE_MS : 0;
      s.readySince ??= t;
      if (t - s.readySince >= settle) s.done = result(s, 'ready', v.reason, v.message, t);
    } else s.readySince = undefined;
  }

  function emit(id: string, state: 'progressing' | 'ready' | 'failed', message: string, ready: number, desired: number): void {
    ctx.reporter.emit({ kind: 'resource', id, state, message, ready, desired });
  }
}

function result(s: State, status: TrackResult['status'], reason: string, message: string, t: number): TrackResult {
  return { id: s.target.id, ref: s.target.ref, status, reason, message, seconds: Math.round(t - s.started) / 1000 };
}
