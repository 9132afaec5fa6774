// What `plan` and apply compare: an object without the fields the server manages, Secret values
// masked, and a unified line diff of the two as YAML.
import { deepEqual } from '../deep-equal.js';
import { stringifyYaml } from '../yaml.js';

type Obj = Record<string, unknown>;

const NOISY_METADATA = ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid', 'selfLink'];

/** The object as a user compares it: no status, no server-managed metadata. */
export function comparable(object: Obj): Obj {
  const { status: _status, ...rest } = object;
  const metadata = { ...((rest.metadata as Obj) ?? {}) };
  for (const key of NOISY_METADATA) delete metadata[key];
  const annotations = { ...((metadata.annotations as Obj) ?? {}) };
  delete annotations['deployment.kubernetes.io/revision'];
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...rest, metadata };
}

/** Secret values replaced: equal values read `(masked)`, changed ones `(masked, before)` / `(masked, after)`. */
export function maskSecrets(before: Obj | null, after: Obj | null): [Obj | null, Obj | null] {
  const isSecret = (o: Obj | null) => o?.kind === 'Secret';
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const values = (o: Obj | null, field: string) => ((o?.[field] as Obj | undefined) ?? {}) as Record<string, unknown>;
  const mask = (o: Obj | null, other: Obj | null, side: 'before' | 'after'): Obj | null => {
    if (!o) return o;
    const out: Obj = { ...o };
    for (const field of ['data', 'stringData']) {
      if (!o[field]) continue;
      const theirs = values(other, field);
      out[field] = Object.fromEntries(Object.entries(values(o, field)).map(([k, v]) => [k, theirs[k] === v ? '(masked)' : `(masked, ${side})`]));
    }
    return out;
  };
  return [mask(before, after, 'before'), mask(after, before, 'after')];
}

/** Whether the two read the same once compared (the YAML of both would be equal): no serialising needed. */
export function sameObject(a: Obj, b: Obj): boolean {
  return deepEqual(comparable(a), comparable(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Obj)[k])]));
  return v;
}

/** A unified diff (3 lines of context) of two objects as sorted YAML; '' when equal. */
export function diffObjects(before: Obj | null, after: Obj | null, label: string): string {
  const a = before ? stringifyYaml(sortKeys(comparable(before))).split('\n').filter(Boolean) : [];
  const b = after ? stringifyYaml(sortKeys(comparable(after))).split('\n').filter(Boolean) : [];
  return unifiedDiff(a, b, label);
}

export function unifiedDiff(a: string[], b: string[], label: string, context = 3): string {
  // LCS table: manifests are small, so O(n*m) is fine and exact.
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) (ops.push({ op: ' ', line: a[i]! }), i++, j++);
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ op: '-', line: a[i++]! });
    else ops.push({ op: '+', line: b[j++]! });
  }
  if (!ops.some((o) => o.op !== ' ')) return '';
  const keep = ops.map((o, k) => o.op !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((x) => x.op !== ' '));
  const lines = [`--- ${label} (live)`, `+++ ${label} (this commit)`];
  let gap = false;
  ops.forEach((o, k) => {
    if (!keep[k]) {
      if (!gap) lines.push('@@');
      gap = true;
      return;
    }
    if (k === 0 || gap || !keep[k - 1]) if (lines.at(-1) !== '@@') lines.push('@@');
    gap = false;
    lines.push(`${o.op}${o.line}`);
  });
  return `${lines.join('\n')}\n`;
}
