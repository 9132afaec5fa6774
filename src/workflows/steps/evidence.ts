// Failure evidence (SPEC section 8): the Warning events of the resource and its pods, merged with
// counts, and the last log lines of each failing container (the previous instance after a crash).
import { podProblems } from '../../core/readiness/index.js';
import type { Cluster, KubeObject } from '../../ports/index.js';
import { currentPods, type Lookup } from './revision-pods.js';
import type { TrackTarget } from './track.js';

export async function gatherEvidence(cluster: Cluster, target: TrackTarget, lookup: Lookup, signal?: AbortSignal): Promise<string[]> {
  const { ref } = target;
  const object = lookup(ref.apiVersion, ref.kind, ref.namespace).find((o) => o.metadata.name === ref.name);
  if (!object) return [];
  const pods = currentPods(object, lookup);
  const names = new Set([object.metadata.name, ...pods.map((p) => p.metadata.name)]);
  const merged = new Map<string, { line: string; count: number }>();
  for (const e of lookup('v1', 'Event', ref.namespace) as (KubeObject & { involvedObject?: { name?: string; kind?: string }; reason?: string; message?: string; count?: number; type?: string })[]) {
    if (e.type !== 'Warning' || !names.has(e.involvedObject?.name ?? '')) continue;
    const line = `${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.reason}: ${e.message}`;
    const seen = merged.get(line);
    merged.set(line, { line, count: (seen?.count ?? 0) + (e.count ?? 1) });
  }
  const out: string[] = [];
  if (merged.size) out.push('events:', ...[...merged.values()].map((m) => `  ${m.line}${m.count > 1 ? ` (x${m.count})` : ''}`));
  // Containers that are failing now, and those that ended with an error (a Job's pods).
  const exited = pods.flatMap((pod) =>
    (((pod.status as { containerStatuses?: { name: string; state?: { terminated?: { exitCode?: number } } }[] } | undefined)?.containerStatuses) ?? [])
      .filter((c) => (c.state?.terminated?.exitCode ?? 0) !== 0)
      .map((c) => ({ pod: pod.metadata.name, container: c.name, crashed: false })),
  );
  const failing = [...pods.flatMap(podProblems), ...exited].filter((p, i, all) => all.findIndex((q) => q.pod === p.pod && q.container === p.container) === i);
  for (const p of failing.slice(0, 3)) {
    const text = await cluster.logs(ref.namespace ?? '', p.pod, p.container, { tailLines: target.logLines, previous: p.crashed }, signal).catch(() => '');
    const lines = text.replace(/\n$/, '').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
    if (lines.length && lines.join('') !== '') out.push(`log of pod ${p.pod} container ${p.container}${p.crashed ? ' (previous instance)' : ''}:`, ...lines.map((l) => `  | ${l}`));
  }
  return out;
}
