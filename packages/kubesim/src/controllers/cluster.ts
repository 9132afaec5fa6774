// What controllers see: typed access to the store and events written like client-go's recorder.
// Controller writes go to the store directly (no admission), as kube-controller-manager's would.
import { randomUUID } from 'node:crypto';
import type { Api } from '../api.js';
import type { ResourceRegistry, ResourceType } from '../resources.js';
import { clone, type Obj, type Store } from '../store.js';
import { deepEqual } from '../fields.js';

export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Cluster {
  private eventSeq = 0;
  /** Event name by involved uid, reason, message and field: repeats are found without a scan. */
  private readonly events = new Map<string, { namespace: string; name: string }>();

  constructor(
    readonly store: Store,
    readonly registry: ResourceRegistry,
    readonly api: Api,
  ) {}

  type(kind: string): ResourceType {
    const t = this.registry.all().find((r) => r.kind === kind && ['', 'apps', 'batch', 'discovery.k8s.io'].includes(r.group));
    if (!t) throw new Error(`no type ${kind}`);
    return t;
  }

  list(kind: string, namespace?: string): Obj[] {
    return this.store.list(this.type(kind), namespace);
  }

  get(kind: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.store.get(this.type(kind), namespace, name);
  }

  /** Creates through the API (defaults, uid, generateName) as a controller would. */
  create(kind: string, namespace: string | undefined, obj: Obj, manager: string): Obj {
    const t = this.type(kind);
    return this.api.create({ resource: t, namespace }, { method: 'POST', query: new URLSearchParams({ fieldManager: manager }), body: JSON.stringify(obj), contentType: 'application/json', userAgent: manager }).object;
  }

  /** Deletes any object as a delete request would: pods gracefully, finalizers honoured. */
  deleteObject(r: ResourceType, obj: Obj): void {
    if (r.kind === 'Pod') return this.api.deletePod(obj);
    if ((obj.metadata.finalizers ?? []).length) {
      if (!obj.metadata.deletionTimestamp) this.store.put(r, { ...clone(obj), metadata: { ...obj.metadata, deletionTimestamp: nowIso(), deletionGracePeriodSeconds: 0 } }, 'MODIFIED');
      return;
    }
    this.store.remove(r, obj);
  }

  /** The kubelet's final removal of a pod whose containers stopped. */
  removeNow(kind: string, obj: Obj): void {
    const t = this.type(kind);
    if (this.store.get(t, obj.metadata.namespace, obj.metadata.name)) this.store.remove(t, obj);
  }

  /** Writes `next` when it differs from the stored object; returns the stored result. */
  write(kind: string, next: Obj): Obj {
    const t = this.type(kind);
    const current = this.store.get(t, next.metadata.namespace, next.metadata.name);
    if (!current) return next;
    const candidate = { ...clone(next), metadata: { ...next.metadata, resourceVersion: current.metadata.resourceVersion } };
    if (deepEqual(current, candidate)) return current;
    return this.store.put(t, candidate, 'MODIFIED');
  }

  /** A controller's delete: pods gracefully (the kubelet removes them), the rest at once. */
  remove(kind: string, obj: Obj): void {
    if (kind === 'Pod') return this.api.deletePod(obj);
    const t = this.type(kind);
    if (this.store.get(t, obj.metadata.namespace, obj.metadata.name)) this.store.remove(t, obj);
  }

  /** core/v1 Event; a repeat of the same reason and message bumps count and lastTimestamp. */
  event(involved: Obj, type: 'Normal' | 'Warning', reason: string, message: string, source: { component: string; host?: string }, fieldPath?: string): void {
    const t = this.type('Event');
    const ns = involved.metadata.namespace ?? 'default';
    const key = `${involved.metadata.uid}\0${reason}\0${message}\0${fieldPath ?? ''}`;
    const known = this.events.get(key);
    const existing = known && this.store.get(t, known.namespace, known.name);
    const now = nowIso();
    if (existing) {
      existing.count = (existing.count ?? 1) + 1;
      existing.lastTimestamp = now;
      this.store.put(t, existing, 'MODIFIED');
      return;
    }
    const stamp = (BigInt(Date.now()) * 1_000_000n + BigInt(this.eventSeq++)).toString(16);
    this.events.set(key, { namespace: ns, name: `${involved.metadata.name}.${stamp}` });
    this.store.put(
      t,
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${involved.metadata.name}.${stamp}`, namespace: ns, uid: randomUUID(), creationTimestamp: now },
        involvedObject: {
          kind: involved.kind,
          namespace: involved.metadata.namespace,
          name: involved.metadata.name,
          uid: involved.metadata.uid,
          apiVersion: involved.apiVersion,
          resourceVersion: involved.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        type,
        source,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      },
      'ADDED',
    );
  }
}

export const ownedBy = (owner: Obj) => (o: Obj) => ((o.metadata.ownerReferences ?? []) as Obj[]).some((r) => r.uid === owner.metadata.uid && r.controller);

export function controllerRef(owner: Obj): Obj {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export const condition = (obj: Obj, type: string): Obj | undefined => ((obj.status?.conditions ?? []) as Obj[]).find((c) => c.type === type);

/**
 * Sets a condition like SetDeploymentCondition: the same status and reason change nothing, unless
 * `touch` (a Deployment making progress refreshes lastUpdateTime and the message). A condition
 * keeps its lastTransitionTime while its status stays. `updateTime`: the kind has lastUpdateTime.
 */
export function setCondition(status: Obj, next: { type: string; status: string; reason: string; message: string }, options: { updateTime?: boolean; touch?: boolean } = {}): void {
  const conditions: Obj[] = status.conditions ?? [];
  const current = conditions.find((c) => c.type === next.type);
  if (current && current.status === next.status && current.reason === next.reason && !options.touch) {
    status.conditions = conditions;
    return;
  }
  const now = nowIso();
  const entry: Obj = {
    type: next.type,
    status: next.status,
    ...(options.updateTime ? { lastUpdateTime: now } : {}),
    lastTransitionTime: current && current.status === next.status ? current.lastTransitionTime : now,
    reason: next.reason,
    message: next.message,
  };
  const i = conditions.indexOf(current!);
  status.conditions = i >= 0 ? conditions.map((c, n) => (n === i ? entry : c)) : [...conditions, entry];
}

/** Pod-template-hash like Kubernetes: FNV-1a of the template, safe-encoded. */
/** JSON with sorted keys and no null fields: how a template is compared (key order and an explicit `creationTimestamp: null` do not make another template). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== null && (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A pod template without the pod-template-hash label a controller added to it. */
export function withoutHashLabel(template: { metadata?: { labels?: Record<string, string> } } & Record<string, unknown>): unknown {
  const labels = { ...template.metadata?.labels };
  delete labels['pod-template-hash'];
  return { ...template, metadata: { ...template.metadata, labels } };
}

export function templateHash(template: unknown): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(canonical(template))) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (const digit of String(h)) out += alphabet[Number(digit) % alphabet.length];
  return out.slice(0, 10);
}
