// Server-side printing (meta.k8s.io/v1 Table), which kubectl get asks for: the columns of the
// apiserver's printers (pkg/printers/internalversion) for the common kinds, the `-o wide` ones at
// priority 1; Name/Age otherwise.
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

const none = (v: unknown) => (v === undefined || v === null || v === '' ? '<none>' : String(v));
const templateContainers = (o: Obj): Obj[] => o.spec?.template?.spec?.containers ?? o.spec?.jobTemplate?.spec?.template?.spec?.containers ?? [];
/** A label selector as kubectl prints it: `app=web,tier in (a,b)`. */
function selector(sel: Obj | undefined): string {
  if (!sel) return '<none>';
  const parts = [...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`), ...((sel.matchExpressions ?? []) as Obj[]).map((e) => (e.operator === 'Exists' ? e.key : e.operator === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`))];
  return parts.length ? parts.join(',') : '<none>';
}
/** The -o wide columns of workload printers. */
const workloadWide = (withSelector: boolean): Column[] => [
  { name: 'Containers', type: 'string', priority: 1, cell: (o) => templateContainers(o).map((c) => c.name).join(',') },
  { name: 'Images', type: 'string', priority: 1, cell: (o) => templateContainers(o).map((c) => c.image).join(',') },
  ...(withSelector ? [{ name: 'Selector', type: 'string', priority: 1, cell: (o: Obj) => selector(o.spec?.selector) }] : []),
];
function servicePorts(o: Obj): string {
  const ports = ((o.spec?.ports ?? []) as Obj[]).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`);
  return ports.length ? ports.join(',') : '<none>';
}
function externalIp(o: Obj): string {
  const ingress = ((o.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip ?? i.hostname);
  const ips = [...(o.spec?.externalIPs ?? []), ...ingress];
  if (o.spec?.type === 'ExternalName') return o.spec.externalName;
  if (o.spec?.type === 'LoadBalancer' && !ips.length) return '<pending>';
  return ips.length ? ips.join(',') : '<none>';
}
function nodeStatus(o: Obj): string {
  const ready = ((o.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready');
  return `${ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'}${o.spec?.unschedulable ? ',SchedulingDisabled' : ''}`;
}
function jobDuration(o: Obj): string {
  if (!o.status?.startTime) return '';
  return age(o.status.startTime, o.status.completionTime ? Date.parse(o.status.completionTime) : Date.now());
}
/** kubectl's endpoint lists: the first three, then `+ N more...`. */
function firstThree(items: string[]): string {
  if (!items.length) return '<none>';
  return items.length > 3 ? `${items.slice(0, 3).join(',')} + ${items.length - 3} more...` : items.join(',');
}
const endpointList = (o: Obj) => firstThree(((o.subsets ?? []) as Obj[]).flatMap((s) => ((s.addresses ?? []) as Obj[]).flatMap((a) => ((s.ports ?? [{}]) as Obj[]).map((p) => (p.port ? `${a.ip}:${p.port}` : a.ip)))));
const address = (o: Obj, type: string) => none(((o.status?.addresses ?? []) as Obj[]).find((a) => a.type === type)?.address);

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${(o.status?.containerStatuses ?? []).filter((c: Obj) => c.ready).length}/${(o.spec?.containers ?? []).length}` },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: (o) => String((o.status?.containerStatuses ?? []).reduce((n: number, c: Obj) => n + (c.restartCount ?? 0), 0)) },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName ?? '<none>' },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: (o) => none(o.status?.nominatedNodeName) },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: (o) => none(((o.spec?.readinessGates ?? []) as Obj[]).map((g) => g.conditionType).join(',')) },
  ],
  Deployment: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    ageColumn,
    ...workloadWide(true),
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 1 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    ageColumn,
    ...workloadWide(true),
  ],
  StatefulSet: [name, { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}` }, ageColumn, ...workloadWide(false)],
  Job: [
    name,
    { name: 'Status', type: 'string', cell: (o) => ((o.status?.conditions ?? []) as Obj[]).find((c) => c.status === 'True' && ['Complete', 'Failed'].includes(c.type))?.type ?? 'Running' },
    { name: 'Completions', type: 'string', cell: (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}` },
    { name: 'Duration', type: 'string', cell: jobDuration },
    ageColumn,
    ...workloadWide(true),
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => none(o.spec?.clusterIP) },
    { name: 'External-IP', type: 'string', cell: externalIp },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
    ageColumn,
    { name: 'Selector', type: 'string', priority: 1, cell: (o) => selector(o.spec?.selector ? { matchLabels: o.spec.selector } : undefined) },
  ],
  Node: [
    name,
    { name: 'Status', type: 'string', cell: nodeStatus },
    { name: 'Roles', type: 'string', cell: (o) => none(Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).sort().join(',')) },
    ageColumn,
    { name: 'Version', type: 'string', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
    { name: 'Internal-IP', type: 'string', priority: 1, cell: (o) => address(o, 'InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, cell: (o) => address(o, 'ExternalIP') },
    { name: 'OS-Image', type: 'string', priority: 1, cell: (o) => o.status?.nodeInfo?.osImage ?? '<unknown>' },
    { name: 'Kernel-Version', type: 'string', priority: 1, cell: (o) => o.status?.nodeInfo?.kernelVersion ?? '<unknown>' },
    { name: 'Container-Runtime', type: 'string', priority: 1, cell: (o) => o.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>' },
  ],
  ConfigMap: [name, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length }, ageColumn],
  Secret: [name, { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' }, { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length }, ageColumn],
  Endpoints: [name, { name: 'Endpoints', type: 'string', cell: endpointList }, ageColumn],
  EndpointSlice: [
    name,
    { name: 'AddressType', type: 'string', cell: (o) => o.addressType },
    { name: 'Ports', type: 'string', cell: (o) => firstThree(((o.ports ?? []) as Obj[]).map((p) => String(p.port))) },
    { name: 'Endpoints', type: 'string', cell: (o) => firstThree(((o.endpoints ?? []) as Obj[]).flatMap((e) => e.addresses ?? [])) },
    ageColumn,
  ],
  Namespace: [name, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, ageColumn],
  Event: [
    { name: 'Last Seen', type: 'string', cell: (o) => age(o.lastTimestamp ?? o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => o.type },
    { name: 'Reason', type: 'string', cell: (o) => o.reason },
    { name: 'Object', type: 'string', cell: (o) => `${String(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name}` },
    { name: 'Message', type: 'string', cell: (o) => o.message },
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
