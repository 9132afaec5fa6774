// The endpoints and EndpointSlice controllers: every Service with a selector gets an Endpoints
// object of the same name (ready pods in `addresses`, the others in `notReadyAddresses`) and an
// EndpointSlice labelled with the service name, both following its pods; the Endpoints of a
// Service that is gone go too.
import type { Obj } from '../store.js';
import { condition, controllerRef, type Cluster } from './cluster.js';

const MANAGER = 'kube-controller-manager';
const SLICE_MANAGER = 'endpointslice-controller.k8s.io';

export function reconcileEndpoints(cluster: Cluster): void {
  const services = cluster.list('Service');
  const pods = cluster.list('Pod');
  for (const svc of services) {
    const selector: Record<string, string> | undefined = svc.spec?.selector;
    if (svc.metadata.deletionTimestamp || !selector || !Object.keys(selector).length || svc.spec?.type === 'ExternalName') continue;
    const ns = svc.metadata.namespace;
    const selected = pods.filter((p) => p.metadata.namespace === ns && p.status?.podIP && !p.metadata.deletionTimestamp && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
    const ready = (p: Obj) => condition(p, 'Ready')?.status === 'True' || svc.spec?.publishNotReadyAddresses === true;
    const address = (p: Obj) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid } });
    const ports = ((svc.spec.ports ?? []) as Obj[]).map((port) => ({ ...(port.name ? { name: port.name } : {}), port: targetPort(port, selected[0]), protocol: port.protocol ?? 'TCP' }));
    const addresses = selected.filter(ready).map(address);
    const notReady = selected.filter((p) => !ready(p)).map(address);
    const subsets = selected.length ? [{ ...(addresses.length ? { addresses } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }] : undefined;
    const endpoints: Obj = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: ns, labels: svc.metadata.labels }, ...(subsets ? { subsets } : {}) };
    const current = cluster.get('Endpoints', ns, svc.metadata.name);
    if (!current) cluster.create('Endpoints', ns, endpoints, MANAGER);
    else cluster.write('Endpoints', { ...current, metadata: { ...current.metadata, labels: svc.metadata.labels }, subsets });

    const sliceLabels = { ...svc.metadata.labels, 'kubernetes.io/service-name': svc.metadata.name, 'endpointslice.kubernetes.io/managed-by': SLICE_MANAGER };
    const slice: Obj = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { generateName: `${svc.metadata.name}-`, namespace: ns, labels: sliceLabels, ownerReferences: [{ ...controllerRef(svc), blockOwnerDeletion: true }] },
      addressType: 'IPv4',
      endpoints: selected.map((p) => ({ addresses: [p.status.podIP], conditions: { ready: ready(p), serving: ready(p), terminating: false }, nodeName: p.spec.nodeName, targetRef: address(p).targetRef })),
      ports,
    };
    const existing = cluster.list('EndpointSlice', ns).find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === SLICE_MANAGER);
    if (!existing) cluster.create('EndpointSlice', ns, slice, MANAGER);
    else cluster.write('EndpointSlice', { ...existing, metadata: { ...existing.metadata, labels: sliceLabels }, endpoints: slice.endpoints, ports });
  }
  // Endpoints this controller keeps for a Service that no longer exists (or lost its selector).
  const selecting = new Set(services.filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length).map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  const known = new Set(services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`));
  for (const ep of cluster.list('Endpoints')) {
    const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
    const managed = ((ep.metadata.managedFields ?? []) as Obj[]).some((m) => m.manager === MANAGER);
    if (managed && (!known.has(key) || !selecting.has(key))) cluster.remove('Endpoints', ep);
  }
}

/** A service port's targetPort on the pods: a number, or a named container port. */
function targetPort(port: Obj, pod: Obj | undefined): number {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  for (const c of (pod?.spec?.containers ?? []) as Obj[]) {
    const named = ((c.ports ?? []) as Obj[]).find((p) => p.name === target);
    if (named) return named.containerPort;
  }
  return port.port;
}
