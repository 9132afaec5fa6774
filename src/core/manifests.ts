// The rendered manifest set (SPEC section 7): validation, identity, duplicates, namespace
// defaulting, slipway's labels, and apply order. Pure: documents in, documents out.
import { isPlainObject } from './values.js';

export interface Manifest {
  /** Template that produced it, for messages. */
  source: string;
  /** 1-based index of the document within its template's output. */
  index: number;
  object: Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string } };
}

export interface ManifestProblem {
  source: string;
  index: number;
  message: string;
}

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const RELEASE_LABEL = 'slipway.dev/release';
export const WEIGHT_ANNOTATION = 'slipway.dev/weight';

/** Built-in cluster-scoped kinds; custom kinds get their scope from a CRD in the same set. */
const CLUSTER_SCOPED = new Set([
  'APIService', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus', 'CSIDriver',
  'CSINode', 'CustomResourceDefinition', 'FlowSchema', 'IngressClass', 'MutatingWebhookConfiguration', 'Namespace',
  'Node', 'PersistentVolume', 'PriorityClass', 'PriorityLevelConfiguration', 'RuntimeClass', 'StorageClass',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

export function identity(m: Manifest): string {
  const ns = (m.object.metadata.namespace as string | undefined) ?? '';
  return `${groupOf(m.object.apiVersion)}/${m.object.kind}/${ns}/${m.object.metadata.name}`;
}

/** Checks the shape every Kubernetes object needs; returns problems rather than throwing. */
export function validateDocument(source: string, index: number, doc: unknown): Manifest | ManifestProblem {
  const problem = (message: string): ManifestProblem => ({ source, index, message });
  if (!isPlainObject(doc)) return problem('is not a mapping');
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '') return problem('has no apiVersion');
  if (typeof doc.kind !== 'string' || doc.kind === '') return problem('has no kind');
  if (!isPlainObject(doc.metadata) || typeof doc.metadata.name !== 'string' || doc.metadata.name === '') {
    return problem(`${doc.kind} has no metadata.name`);
  }
  const weight = (doc.metadata.annotations as Record<string, unknown> | undefined)?.[WEIGHT_ANNOTATION];
  if (weight !== undefined && !(typeof weight === 'string' && /^-?\d+$/.test(weight))) {
    return problem(`annotation ${WEIGHT_ANNOTATION} must be an integer string, got ${JSON.stringify(weight)}`);
  }
  return { source, index, object: doc as Manifest['object'] };
}

/** Release namespace for namespaced objects without one, and slipway's two labels. */
export function finalizeManifests(manifests: Manifest[], release: { name: string; namespace: string }): Manifest[] {
  const clusterCustom = new Set(
    manifests
      .filter((m) => m.object.kind === 'CustomResourceDefinition' && (m.object.spec as { scope?: string } | undefined)?.scope === 'Cluster')
      .map((m) => `${(m.object.spec as { group?: string }).group}/${(m.object.spec as { names?: { kind?: string } }).names?.kind}`),
  );
  return manifests.map((m) => {
    const { name, namespace, labels, ...rest } = m.object.metadata;
    const clusterScoped = CLUSTER_SCOPED.has(m.object.kind) || clusterCustom.has(`${groupOf(m.object.apiVersion)}/${m.object.kind}`);
    const metadata: Record<string, unknown> = { name };
    if (!clusterScoped) metadata.namespace = namespace ?? release.namespace;
    metadata.labels = { ...(isPlainObject(labels) ? labels : {}), [MANAGED_BY_LABEL]: 'slipway', [RELEASE_LABEL]: release.name };
    Object.assign(metadata, rest);
    return { ...m, object: { ...m.object, metadata } as Manifest['object'] };
  });
}

export function findDuplicates(manifests: Manifest[]): ManifestProblem[] {
  const seen = new Map<string, Manifest>();
  const problems: ManifestProblem[] = [];
  for (const m of manifests) {
    const id = identity(m);
    const first = seen.get(id);
    if (first) {
      problems.push({ source: m.source, index: m.index, message: `duplicate ${m.object.kind} "${id}" (also in ${first.source} document ${first.index})` });
    } else seen.set(id, m);
  }
  return problems;
}

const KIND_CLASS: Record<string, number> = {
  ServiceAccount: 0, Role: 0, ClusterRole: 0, RoleBinding: 0, ClusterRoleBinding: 0,
  ConfigMap: 1, Secret: 1,
  PersistentVolume: 2, PersistentVolumeClaim: 2, StorageClass: 2,
  Service: 3,
  Deployment: 4, StatefulSet: 4, DaemonSet: 4, ReplicaSet: 4, Pod: 4, CronJob: 4, ReplicationController: 4,
  Job: 5,
};
const OTHER_CLASS = 6;

export function weightOf(m: Manifest): number {
  const w = (m.object.metadata.annotations as Record<string, string> | undefined)?.[WEIGHT_ANNOTATION];
  return w === undefined ? 0 : Number(w);
}

/**
 * Apply order: Namespaces, then CRDs, then by weight ascending, and within a weight:
 * RBAC, ConfigMaps/Secrets, storage, Services, workloads, Jobs, anything else. Stable otherwise.
 */
export function applyOrder(manifests: Manifest[]): Manifest[] {
  const phase = (m: Manifest) => (m.object.kind === 'Namespace' ? 0 : m.object.kind === 'CustomResourceDefinition' ? 1 : 2);
  return manifests
    .map((m, i) => ({ m, i }))
    .sort((a, b) =>
      phase(a.m) - phase(b.m) ||
      (phase(a.m) === 2 ? weightOf(a.m) - weightOf(b.m) : 0) ||
      (KIND_CLASS[a.m.object.kind] ?? OTHER_CLASS) - (KIND_CLASS[b.m.object.kind] ?? OTHER_CLASS) ||
      a.i - b.i,
    )
    .map(({ m }) => m);
}
