// The kinds kubesim serves: built-in resources with their discovery data, plus the custom
// resources that CRDs register while it runs.

export interface ResourceType {
  group: string; // '' for core
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Subresources served: status, scale, log. */
  subresources: string[];
  categories?: string[];
  /** Verbs when not the usual eight (the create-only review APIs). */
  verbs?: string[];
  /** A custom resource's openAPIV3Schema (built-in kinds use the vendored OpenAPI). */
  schema?: Record<string, any>;
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const t = (group: string, version: string, plural: string, kind: string, namespaced: boolean, shortNames: string[] = [], subresources: string[] = []): ResourceType => ({
  group,
  version,
  plural,
  singular: kind.toLowerCase(),
  kind,
  namespaced,
  shortNames,
  subresources,
});

/** The kinds `kubectl get all` lists: the API server's "all" category. */
const ALL = new Set(['pods', 'replicationcontrollers', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'horizontalpodautoscalers', 'jobs', 'cronjobs']);

export const BUILTIN: ResourceType[] = [
  t('', 'v1', 'namespaces', 'Namespace', false, ['ns'], ['status', 'finalize']),
  t('', 'v1', 'nodes', 'Node', false, ['no'], ['status']),
  t('', 'v1', 'configmaps', 'ConfigMap', true, ['cm']),
  t('', 'v1', 'secrets', 'Secret', true),
  t('', 'v1', 'services', 'Service', true, ['svc'], ['status']),
  t('', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']),
  t('', 'v1', 'pods', 'Pod', true, ['po'], ['status', 'log', 'exec']),
  t('', 'v1', 'events', 'Event', true, ['ev']),
  t('', 'v1', 'endpoints', 'Endpoints', true, ['ep']),
  t('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc'], ['status']),
  t('apps', 'v1', 'deployments', 'Deployment', true, ['deploy'], ['status', 'scale']),
  t('apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs'], ['status', 'scale']),
  t('apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts'], ['status', 'scale']),
  t('apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds'], ['status']),
  t('apps', 'v1', 'controllerrevisions', 'ControllerRevision', true),
  t('batch', 'v1', 'jobs', 'Job', true, [], ['status']),
  t('batch', 'v1', 'cronjobs', 'CronJob', true, ['cj'], ['status']),
  t('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  t('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing'], ['status']),
  t('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  t('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  t('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  t('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  // Served, stored and validated as objects; no controller acts on them.
  t('', 'v1', 'replicationcontrollers', 'ReplicationController', true, ['rc'], ['status', 'scale']),
  t('', 'v1', 'persistentvolumes', 'PersistentVolume', false, ['pv'], ['status']),
  t('', 'v1', 'limitranges', 'LimitRange', true, ['limits']),
  t('', 'v1', 'resourcequotas', 'ResourceQuota', true, ['quota'], ['status']),
  t('', 'v1', 'podtemplates', 'PodTemplate', true),
  t('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['status']),
  t('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], ['status']),
  t('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol']),
  t('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  t('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  t('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, ['sc']),
  t('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, ['pc']),
  t('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, ['crd', 'crds'], ['status']),
  t('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['status']),
  t('certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false, ['csr'], ['status']),
  // Create-only reviews: answered, never stored (reviews.ts).
  { ...t('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false), verbs: ['create'] },
  { ...t('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false), verbs: ['create'] },
  { ...t('authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false), verbs: ['create'] },
  { ...t('authorization.k8s.io', 'v1', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true), verbs: ['create'] },
  { ...t('authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false), verbs: ['create'] },
  { ...t('authentication.k8s.io', 'v1', 'tokenreviews', 'TokenReview', false), verbs: ['create'] },
];

for (const r of BUILTIN) if (ALL.has(r.plural)) r.categories = ['all'];

export class ResourceRegistry {
  private readonly types: ResourceType[] = [...BUILTIN];

  all(): readonly ResourceType[] {
    return this.types;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.types.find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const r of this.types) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
    return [...seen.values()];
  }

  /** A CRD's served versions become resources (and leave when the CRD is deleted). */
  syncCustomResources(crds: Record<string, any>[]): void {
    const builtin = new Set(BUILTIN);
    this.types.splice(0, this.types.length, ...this.types.filter((r) => builtin.has(r)));
    for (const crd of crds) {
      if (crd.metadata?.deletionTimestamp) continue;
      const names = crd.spec?.names ?? {};
      for (const v of crd.spec?.versions ?? []) {
        if (v.served === false) continue;
        this.types.push({
          group: crd.spec.group,
          version: v.name,
          plural: names.plural,
          singular: names.singular ?? String(names.kind).toLowerCase(),
          kind: names.kind,
          namespaced: crd.spec.scope !== 'Cluster',
          shortNames: names.shortNames ?? [],
          subresources: v.subresources?.status ? ['status'] : [],
          categories: names.categories,
          schema: v.schema?.openAPIV3Schema,
        });
      }
    }
  }
}

export function apiVersionOf(r: ResourceType): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}
