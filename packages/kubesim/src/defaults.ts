// API defaults and validation the apiserver applies on create and update, for the kinds slipway
// deploys (k8s.io/kubernetes/pkg/apis/*/v1/defaults.go, validation.go).
import { invalid } from './status.js';
import type { Obj } from './store.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function podSpecDefaults(spec: Obj | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Obj[]) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    const tag = /:([^/@]+)$/.exec(String(c.image ?? ''))?.[1];
    c.imagePullPolicy ??= !String(c.image ?? '').includes('@') && (tag === undefined || tag === 'latest') ? 'Always' : 'IfNotPresent';
    c.resources ??= {};
    for (const p of (c.ports ?? []) as Obj[]) p.protocol ??= 'TCP';
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe] as (Obj | undefined)[]) {
      if (!probe) continue;
      probe.timeoutSeconds ??= 1;
      probe.periodSeconds ??= 10;
      probe.successThreshold ??= 1;
      probe.failureThreshold ??= 3;
      if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
    }
  }
}

let nextIp = 10;

export function applyDefaults(kind: string, obj: Obj, isCreate: boolean): void {
  const spec = obj.spec as Obj | undefined;
  switch (kind) {
    case 'Namespace':
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
      obj.status ??= { phase: 'Active' };
      break;
    case 'Deployment':
      if (!spec) break;
      spec.replicas ??= 1;
      spec.strategy ??= { type: 'RollingUpdate' };
      if ((spec.strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
        spec.strategy.type = 'RollingUpdate';
        spec.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...spec.strategy.rollingUpdate };
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      podSpecDefaults(spec.template?.spec);
      break;
    case 'ReplicaSet':
      if (!spec) break;
      spec.replicas ??= 1;
      podSpecDefaults(spec.template?.spec);
      break;
    case 'StatefulSet':
      if (!spec) break;
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate = { partition: 0, ...spec.updateStrategy.rollingUpdate };
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      podSpecDefaults(spec.template?.spec);
      break;
    case 'DaemonSet':
      if (!spec) break;
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate = { maxUnavailable: 1, maxSurge: 0, ...spec.updateStrategy.rollingUpdate };
      spec.revisionHistoryLimit ??= 10;
      podSpecDefaults(spec.template?.spec);
      break;
    case 'Job':
      if (!spec) break;
      spec.parallelism ??= 1;
      spec.completions ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= 'NonIndexed';
      spec.suspend ??= false;
      spec.podReplacementPolicy ??= 'TerminatedOrFailed';
      if (isCreate && !spec.manualSelector) {
        const uid = obj.metadata.uid;
        const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': obj.metadata.name, 'controller-uid': uid, 'job-name': obj.metadata.name };
        spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
        spec.template ??= {};
        spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, ...labels } };
      }
      podSpecDefaults(spec.template?.spec);
      break;
    case 'CronJob':
      if (!spec) break;
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      break;
    case 'Pod':
      podSpecDefaults(spec);
      obj.spec.enableServiceLinks ??= true;
      if (isCreate) obj.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case 'Service':
      if (!spec) break;
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      spec.internalTrafficPolicy ??= 'Cluster';
      if (spec.clusterIP === undefined) {
        nextIp++;
        spec.clusterIP = `10.96.${Math.floor(nextIp / 250)}.${nextIp % 250}`;
      }
      spec.clusterIPs ??= spec.clusterIP === 'None' ? ['None'] : [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      for (const p of (spec.ports ?? []) as Obj[]) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      obj.status ??= { loadBalancer: {} };
      break;
    case 'PersistentVolumeClaim':
      if (!spec) break;
      spec.volumeMode ??= 'Filesystem';
      // kubesim binds claims at once (there is no storage to provision).
      if (isCreate) {
        spec.volumeName ??= `pvc-${obj.metadata.uid}`;
        obj.status = { phase: 'Bound', accessModes: spec.accessModes ?? [], capacity: spec.resources?.requests ?? {} };
      }
      break;
    case 'Secret':
      if (!obj.type) obj.type = 'Opaque';
      break;
    case 'CustomResourceDefinition': {
      const names = spec?.names ?? {};
      names.singular ??= String(names.kind ?? '').toLowerCase();
      names.listKind ??= `${names.kind}List`;
      obj.status = {
        acceptedNames: { ...names },
        conditions: [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: obj.metadata.creationTimestamp },
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: obj.metadata.creationTimestamp },
        ],
        storedVersions: (spec?.versions ?? []).filter((v: Obj) => v.storage).map((v: Obj) => v.name),
      };
      break;
    }
  }
}

/** 422 Invalid for what the apiserver would reject; the checks slipway's dry run relies on. */
export function validate(kind: string, group: string, obj: Obj, namespaced: boolean): void {
  const name = obj.metadata?.name ?? '';
  const causes: { field: string; message: string; reason?: string }[] = [];
  const nameRule = kind === 'Namespace' || kind === 'Service' ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!name) causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' });
  else if (!nameRule.test(name) || name.length > (nameRule === DNS_LABEL ? 63 : 253)) {
    causes.push({ field: 'metadata.name', message: `Invalid value: "${name}": a lowercase RFC 1123 ${nameRule === DNS_LABEL ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` });
  }
  for (const [k, v] of Object.entries((obj.metadata?.labels ?? {}) as Obj)) {
    if (typeof v !== 'string' || v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) {
      causes.push({ field: `metadata.labels`, message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
    }
    if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)) causes.push({ field: 'metadata.labels', message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'` });
  }
  const podSpec = (spec: Obj | undefined, at: string) => {
    const containers = spec?.containers as Obj[] | undefined;
    if (!containers?.length) causes.push({ field: `${at}.containers`, message: 'Required value', reason: 'FieldValueRequired' });
    containers?.forEach((c, i) => {
      if (!c.name) causes.push({ field: `${at}.containers[${i}].name`, message: 'Required value', reason: 'FieldValueRequired' });
      if (!c.image) causes.push({ field: `${at}.containers[${i}].image`, message: 'Required value', reason: 'FieldValueRequired' });
    });
  };
  const selectorMatches = (spec: Obj, at: string) => {
    const match = spec.selector?.matchLabels as Obj | undefined;
    if (!spec.selector) {
      causes.push({ field: `${at}.selector`, message: 'Required value', reason: 'FieldValueRequired' });
      return;
    }
    const labels = spec.template?.metadata?.labels ?? {};
    if (match && !Object.entries(match).every(([k, v]) => labels[k] === v)) {
      causes.push({ field: `${at}.template.metadata.labels`, message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\`` });
    }
  };
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(kind)) {
    selectorMatches(obj.spec ?? {}, 'spec');
    podSpec(obj.spec?.template?.spec, 'spec.template.spec');
  } else if (kind === 'Job') podSpec(obj.spec?.template?.spec, 'spec.template.spec');
  else if (kind === 'Pod') podSpec(obj.spec, 'spec');
  else if (kind === 'Service') {
    for (const [i, p] of ((obj.spec?.ports ?? []) as Obj[]).entries()) {
      if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) causes.push({ field: `spec.ports[${i}].port`, message: `Invalid value: ${JSON.stringify(p.port)}: must be between 1 and 65535, inclusive` });
    }
  } else if (kind === 'ConfigMap' || kind === 'Secret') {
    for (const k of Object.keys({ ...obj.data, ...obj.stringData })) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k)) causes.push({ field: 'data', message: `Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'` });
    }
  }
  if (!namespaced && obj.metadata?.namespace) delete obj.metadata.namespace;
  if (causes.length) throw invalid(group, kind, name, causes);
}
