// Namespaces (kube-controller-manager): a new namespace gets its `default` ServiceAccount and the
// `kube-root-ca.crt` ConfigMap; a terminating one has its contents deleted (after a short delay,
// as the namespace controller's discovery takes), its deletion conditions kept up to date, and
// once empty loses its `kubernetes` finalizer and goes.
import type { Obj } from '../store.js';
import { nowIso, type Cluster } from './cluster.js';

const CONTENT_DELAY_MS = 500;
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export class NamespaceController {
  /** When each terminating namespace (uid) was first seen: deletionTimestamp has only seconds. */
  private readonly terminatingSince = new Map<string, number>();

  constructor(private readonly caCert: string) {}

  reconcile(cluster: Cluster, now: number): void {
    for (const ns of cluster.list('Namespace')) {
      if (!ns.metadata.deletionTimestamp) ensureDefaults(cluster, ns.metadata.name, this.caCert);
      else {
        const since = this.terminatingSince.get(ns.metadata.uid) ?? now;
        this.terminatingSince.set(ns.metadata.uid, since);
        if (now - since >= CONTENT_DELAY_MS && finalize(cluster, ns)) this.terminatingSince.delete(ns.metadata.uid);
      }
    }
  }
}

/** One pass of the namespace deleter; true once the namespace is gone. */
function finalize(cluster: Cluster, ns: Obj): boolean {
    const name = ns.metadata.name as string;
    const contents = cluster.store.entries().filter((e) => e.object.metadata.namespace === name);
    for (const { resource, object } of contents) {
      if (object.metadata.deletionTimestamp) continue;
      const r = cluster.registry.all().find((t) => `${t.group}/${t.plural}` === resource);
      if (r) cluster.deleteObject(r, object);
    }
    const remaining = cluster.store.entries().filter((e) => e.object.metadata.namespace === name);
    const next = structuredClone(ns);
    next.status = { phase: 'Terminating', conditions: conditions(ns, remaining) };
    if (!remaining.length) next.spec = { ...next.spec, finalizers: (next.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes') };
    if (!remaining.length && !next.spec.finalizers.length && !(next.metadata.finalizers ?? []).length) {
      cluster.removeNow('Namespace', next);
      return true;
    }
    cluster.write('Namespace', next);
    return false;
}

function ensureDefaults(cluster: Cluster, namespace: string, caCert: string): void {
  const manager = 'kube-controller-manager';
  if (!cluster.get('ServiceAccount', namespace, 'default')) {
    cluster.create('ServiceAccount', namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }, manager);
  }
  if (!cluster.get('ConfigMap', namespace, 'kube-root-ca.crt')) {
    cluster.create('ConfigMap', namespace, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } }, data: { 'ca.crt': caCert } }, manager);
  }
}

/** The namespace deleter's five conditions (pkg/controller/namespace/deletion). */
function conditions(ns: Obj, remaining: { resource: string; object: Obj }[]): Obj[] {
  const at = nowIso();
  const previous = new Map(((ns.status?.conditions ?? []) as Obj[]).map((c) => [c.type, c]));
  const counts = new Map<string, number>();
  for (const { resource } of remaining) counts.set(resource.split('/')[1]!, (counts.get(resource.split('/')[1]!) ?? 0) + 1);
  const finalizing = remaining.filter((e) => (e.object.metadata.finalizers ?? []).length);
  const rows: [string, string, string, string][] = [
    ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    remaining.length
      ? ['NamespaceContentRemaining', 'True', 'SomeResourcesRemain', `Some resources are remaining: ${[...counts].sort().map(([r, n]) => `${r}. has ${n} resource instances`).join(', ')}`]
      : ['NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'],
    finalizing.length
      ? ['NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${[...new Set(finalizing.flatMap((e) => e.object.metadata.finalizers))].join(', ')} in ${finalizing.length} resource instances`]
      : ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
  ];
  return rows.map(([type, status, reason, message]) => {
    const before = previous.get(type);
    return { type, status, lastTransitionTime: before?.status === status ? before.lastTransitionTime : at, reason, message };
  });
}
