// Server-side printing (meta.k8s.io/v1 Table), which kubectl get asks for: the columns of the
// apiserver's printers for pods, deployments, replica sets, jobs and events; Name/Age otherwise.
import type { ResourceType } from './resources.js';
import type { Obj } from './store.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (o: Obj) => unknown;
}

export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h` : `${Math.floor(h / 24)}d`;
}

/** kubectl's pod STATUS: the phase, overridden by a container's waiting or terminated reason. */
export function podStatus(pod: Obj): string {
  let reason: string = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  const scheduled = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason) reason = scheduled.reason === 'Unschedulable' ? 'Pending' : scheduled.reason;
  let running = false;
  for (const c of [...(pod.status?.containerStatuses ?? [])].reverse() as Obj[]) {
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state?.terminated) reason = c.state.terminated.reason ?? (c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`);
    else if (c.ready && c.state?.running) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };
const ageColumn: Column = { name: 'Age', type: 'string', cell: (o) => age(o.metadata.creationTimestamp) };

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c: Obj) => c.ready).length}/${(o.spec?.containers ?? []).length}` },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: (o) => String((o.status?.containerStatuses ?? []).reduce((n: number, c: Obj) => n + (c.restartCount ?? 0), 0)) },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
  ],
  Deployment: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    ageColumn,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 1 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    ageColumn,
  ],
  Job: [
    name,
    { name: 'Status', type: 'string', cell: (o) => ((o.status?.conditions ?? []) as Obj[]).find((c) => c.status === 'True' && ['Complete', 'Failed'].includes(c.type))?.type ?? 'Running' },
    { name: 'Completions', type: 'string', cell: (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}` },
    ageColumn,
  ],
  Event: [
    { name: 'Last Seen', type: 'string', cell: (o) => age(o.lastTimestamp ?? o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => o.type },
    { name: 'Reason', type: 'string', cell: (o) => o.reason },
    { name: 'Object', type: 'string', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name}` },
    { name: 'Message', type: 'string', cell: (o) => (o.count > 1 ? `${o.message}` : o.message) },
  ],
};

export const wantsTable = (accept: string | undefined) => Boolean(accept && /as=Table/.test(accept));

export function toTable(r: ResourceType, objects: Obj[], resourceVersion: string, includeObject: string | null): Obj {
  const columns = COLUMNS[r.kind] ?? [name, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: '', priority: c.priority ?? 0 })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object:
        includeObject === 'Object'
          ? o
          : includeObject === 'None'
            ? undefined
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
