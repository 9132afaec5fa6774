// The resource verbs: get, list, create, update, patch (apply, merge, strategic, JSON), delete,
// deletecollection, with dryRun, generation and resourceVersion semantics and real Status errors.
import { randomBytes, randomUUID } from 'node:crypto';
import { parse as parseYaml, parseDocument } from 'yaml';
import { applyDefaults, validate } from './defaults.js';
import { markGraceful, podGracePeriod } from './graceful.js';
import { deepEqual } from './fields.js';
import { recordUpdate, serverSideApply } from './managed.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patches.js';
import { apiVersionOf, BUILTIN, type ResourceRegistry, type ResourceType } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { rootType, type TypeNode } from './schema.js';
import { ApiError, alreadyExists, badRequest, conflict, notFound } from './status.js';
import type { Obj, Store } from './store.js';
import { checkPatched, decodeStrictly, duplicateFields, fieldValidation, keyAt } from './validation.js';

/** Namespaces the lifecycle admission plugin refuses to delete. */
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface Target {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface Request {
  method: string;
  query: URLSearchParams;
  body: string;
  contentType: string;
  userAgent: string;
  /** Warning headers for the response (field validation Warn). */
  warnings?: string[];
}

const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'CustomResourceDefinition', 'Ingress', 'Pod']);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Api {
  private readonly types = new WeakMap<ResourceType, TypeNode>();

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    /** `deleted`: something was deleted (the garbage collector has work). */
    private readonly onChange: (deleted?: boolean) => void,
  ) {}

  get(t: Target): Obj {
    const obj = this.store.get(t.resource, t.namespace, t.name!);
    if (!obj) throw notFound(t.resource.group, t.resource.plural, t.name!);
    return obj;
  }

  list(t: Target, query: URLSearchParams): Obj {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), t.resource.kind);
    return {
      kind: `${t.resource.kind}List`,
      apiVersion: apiVersionOf(t.resource),
      metadata: { resourceVersion: String(this.store.currentRv) },
      items: this.store.list(t.resource, t.namespace).filter((o) => labels(o) && fields(o)),
    };
  }

  /** A core/v1 resource by its plural. */
  resourceFor(plural: string): ResourceType {
    return this.registry.find('', 'v1', plural)!;
  }

  /** The schema type of a resource's objects (built-in OpenAPI or the CRD's schema). */
  typeOf(r: ResourceType): TypeNode {
    let type = this.types.get(r);
    if (!type) this.types.set(r, (type = rootType(r.group, r.version, r.kind, r.schema)));
    return type;
  }

  create(t: Target, req: Request): { status: number; object: Obj } {
    const body = this.decode(t, req);
    const dryRun = req.query.get('dryRun') === 'All';
    return { status: 201, object: this.createObject(t, body, fieldManager(req, 'create'), dryRun) };
  }

  update(t: Target, req: Request): Obj {
    const body = this.decode(t, req);
    const old = this.get(t);
    if (body.metadata?.name !== undefined && body.metadata.name !== t.name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${t.name})`);
    const rv = body.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) {
      throw conflict(t.resource.group, t.resource.plural, t.name!, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return this.commit(t, old, body, fieldManager(req, 'update'), req.query.get('dryRun') === 'All');
  }

  patch(t: Target, req: Request): { status: number; object: Obj } {
    const type = req.contentType.split(';')[0]!.trim();
    const dryRun = req.query.get('dryRun') === 'All';
    const directive = fieldValidation(req.query);
    if (type === 'application/apply-patch+yaml') return this.apply(t, req, dryRun);
    const old = this.get(t);
    let patch: unknown;
    try {
      patch = JSON.parse(req.body);
    } catch (err) {
      throw badRequest(`error decoding patch: ${(err as Error).message}`);
    }
    let next: Obj;
    if (type === 'application/merge-patch+json') next = mergePatch(old, patch) as Obj;
    else if (type === 'application/strategic-merge-patch+json') {
      // Strategic merge needs the Go type's patch strategies: built-in kinds only, never custom resources.
      if (!BUILTIN.includes(t.resource)) {
        throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
      }
      next = strategicMergePatch(old, patch, this.typeOf(t.resource)) as Obj;
    } else if (type === 'application/json-patch+json') next = jsonPatch(old, patch);
    else {
      throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
    }
    const checked = checkPatched(next, this.typeOf(t.resource), directive);
    (req.warnings ??= []).push(...checked.warnings);
    return { status: 200, object: this.commit(t, old, checked.object, fieldManager(req, 'patch'), dryRun) };
  }

  delete(t: Target, req: Request): Obj {
    const old = this.get(t);
    const options = this.deleteOptions(req);
    const r = t.resource;
    if (r.kind === 'Namespace' && PROTECTED_NAMESPACES.has(old.metadata.name)) {
      throw new ApiError(403, 'Forbidden', `namespaces "${old.metadata.name}" is forbidden: this namespace may not be deleted`, { name: old.metadata.name, kind: 'namespaces' });
    }
    const uid = old.metadata.uid;
    if (options.preconditions?.uid && options.preconditions.uid !== uid) {
      throw conflict(r.group, r.plural, old.metadata.name, `Precondition failed: UID in precondition: ${options.preconditions.uid}, UID in object meta: ${uid}`);
    }
    if (options.dryRun) return old;
    const finalizers: string[] = [...(old.metadata.finalizers ?? [])];
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan') this.orphanDependents(uid);
    const pending = r.kind === 'Pod' && markGraceful(old, podGracePeriod(old, options.gracePeriodSeconds), Date.now());
    if (r.kind === 'Namespace' || finalizers.length || pending) {
      if (!pending && old.metadata.deletionTimestamp) return old;
      old.metadata.deletionTimestamp ??= now();
      if (r.kind !== 'Namespace') old.metadata.deletionGracePeriodSeconds ??= 0;
      if (finalizers.length) old.metadata.finalizers = finalizers;
      if (r.kind === 'Namespace') old.status = { ...old.status, phase: 'Terminating' };
      const marked = this.store.put(r, old, 'MODIFIED');
      this.onChange(true);
      return marked;
    }
    this.store.remove(r, old);
    this.onChange(true);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: old.metadata.name, group: r.group, kind: r.plural, uid } };
  }

  /** A controller's delete of a pod: graceful, as through the API (the kubelet finishes it). */
  deletePod(pod: Obj): void {
    const r = this.registry.find('', 'v1', 'pods')!;
    const live = this.store.get(r, pod.metadata.namespace, pod.metadata.name);
    if (!live) return;
    if (markGraceful(live, podGracePeriod(live, undefined), Date.now())) this.store.put(r, live, 'MODIFIED');
    else this.store.remove(r, live);
    this.onChange(true);
  }

  deleteCollection(t: Target, req: Request): Obj {
    const list = this.list(t, req.query);
    for (const item of list.items as Obj[]) this.delete({ ...t, namespace: item.metadata.namespace, name: item.metadata.name }, req);
    return list;
  }

  private apply(t: Target, req: Request, dryRun: boolean): { status: number; object: Obj } {
    const manager = req.query.get('fieldManager');
    if (!manager) {
      throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    const directive = fieldValidation(req.query);
    let config: Obj;
    let json = false;
    try {
      // Like sigs.k8s.io/yaml's non-strict decode: a repeated key keeps its last value.
      ({ config, json } = parseApplyBody(req.body));
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
    if (!config || typeof config !== 'object') throw badRequest('the apply patch must be an object');
    const expected = apiVersionOf(t.resource);
    if (config.apiVersion !== expected) throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${config.apiVersion}, expected: ${expected}`);
    if (config.kind !== t.resource.kind) throw badRequest(`Incorrect kind specified in apply patch. Specified patch kind: ${config.kind}, expected: ${t.resource.kind}`);
    if (config.metadata?.managedFields) throw badRequest('metadata.managedFields must be nil');
    if (config.metadata?.name !== undefined && config.metadata.name !== t.name) throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${t.name})`);
    const force = req.query.get('force') === 'true';
    const live = this.store.get(t.resource, t.namespace, t.name!);
    const identity = `${t.namespace ?? ''}/${t.name}; ${t.resource.group}/${t.resource.version}, Kind=${t.resource.kind}`;
    const options = { manager, force, apiVersion: expected, now: now(), subresource: t.subresource, identity };
    const type = this.typeOf(t.resource);
    if (!live && t.subresource) throw notFound(t.resource.group, t.resource.plural, t.name!);
    const merged = live ? serverSideApply(live, config, type, options) : serverSideApply(undefined, { ...config, metadata: { ...config.metadata, name: t.name, namespace: t.namespace } }, type, options);
    // As the apiserver's applyPatcher: once the apply merged, and before anything is validated or
    // written, Strict and Warn re-decode the body strictly for repeated keys.
    const repeated = directive === 'Ignore' ? [] : repeatedKeys(req.body, json);
    if (repeated.length && directive === 'Strict') throw badRequest(`error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n${repeated.map((r) => `  ${r}`).join('\n')}`);
    const result = live ? { status: 200, object: this.commit(t, live, merged, undefined, dryRun) } : { status: 201, object: this.createObject(t, merged, undefined, dryRun) };
    (req.warnings ??= []).push(...repeated);
    return result;
  }

  /** New object: identity, defaults, validation, ownership; stored unless dryRun. */
  private createObject(t: Target, body: Obj, manager: string | undefined, dryRun: boolean): Obj {
    const r = t.resource;
    if (body.kind !== undefined && body.kind !== r.kind) throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(r)})`);
    const meta = { ...body.metadata };
    if (r.namespaced) {
      if (meta.namespace && t.namespace && meta.namespace !== t.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = t.namespace ?? meta.namespace;
      this.requireNamespace(meta.namespace, r, meta.name ?? meta.generateName ?? '');
    } else delete meta.namespace;
    // Five characters of apimachinery's rand alphabet (no vowels, no 0/1/3: nothing spells a word).
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${[...randomBytes(5)].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('')}`;
    if (t.name && meta.name && meta.name !== t.name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${t.name})`);
    validate(r.kind, r.group, { ...body, metadata: meta }, r.namespaced);
    if (this.store.get(r, meta.namespace, meta.name)) throw alreadyExists(r.group, r.plural, meta.name);
    const { resourceVersion: _rv, deletionTimestamp: _dt, ...cleanMeta } = meta;
    let obj: Obj = {
      ...body,
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      metadata: { ...cleanMeta, uid: randomUUID(), creationTimestamp: now(), ...(GENERATION_KINDS.has(r.kind) || r.group.includes('.') ? { generation: 1 } : {}) },
    };
    if (r.kind === 'CustomResourceDefinition' || !this.isBuiltinWithStatus(r)) delete obj.status;
    applyDefaults(r.kind, obj, true);
    if (manager) obj = recordUpdate(undefined, obj, this.typeOf(r), { manager, apiVersion: apiVersionOf(r), now: now() });
    if (dryRun) return obj;
    const stored = this.store.put(r, obj, 'ADDED');
    if (r.kind === 'CustomResourceDefinition') this.syncCrds();
    this.onChange();
    return stored;
  }

  /** Replaces `old` by `next` (main resource or a subresource), or returns `old` when nothing changed. */
  private commit(t: Target, old: Obj, next: Obj, manager: string | undefined, dryRun: boolean): Obj {
    const r = t.resource;
    let obj = structuredClone(next);
    // Identity and server-owned metadata cannot be changed by a write.
    obj.apiVersion = apiVersionOf(r);
    obj.kind = r.kind;
    obj.metadata = { ...obj.metadata, name: old.metadata.name, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: old.metadata.resourceVersion };
    if (r.namespaced) obj.metadata.namespace = old.metadata.namespace;
    if (old.metadata.generation !== undefined) obj.metadata.generation = old.metadata.generation;
    if (old.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    if (t.subresource === 'status') {
      obj = { ...old, status: obj.status, metadata: { ...old.metadata, managedFields: obj.metadata.managedFields } };
    } else if (t.subresource === 'finalize') {
      // PUT namespaces/<n>/finalize: only spec.finalizers changes (the namespace controller's last step).
      obj = { ...old, spec: { ...old.spec, finalizers: obj.spec?.finalizers ?? [] } };
    } else if (old.status !== undefined && r.subresources.includes('status')) obj.status = old.status;
    applyDefaults(r.kind, obj, false);
    validate(r.kind, r.group, obj, r.namespaced);
    if (manager) obj = recordUpdate(old, obj, this.typeOf(r), { manager, apiVersion: apiVersionOf(r), now: now(), subresource: t.subresource });
    const specChanged = !deepEqual(old.spec, obj.spec) || (r.kind === 'Deployment' && !deepEqual(old.metadata.annotations, obj.metadata.annotations));
    if (specChanged && t.subresource !== 'status' && obj.metadata.generation !== undefined) obj.metadata.generation = old.metadata.generation + 1;
    if (deepEqual(old, obj)) return old; // a no-op write: no new resourceVersion, no event
    if (dryRun) return obj;
    // Removing the last finalizer of an object being deleted completes its deletion.
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).length && r.kind !== 'Namespace') {
      const gone = this.store.remove(r, obj);
      this.onChange(true);
      return gone;
    }
    const stored = this.store.put(r, obj, 'MODIFIED');
    if (r.kind === 'CustomResourceDefinition') this.syncCrds();
    this.onChange();
    return stored;
  }

  private isBuiltinWithStatus(r: ResourceType): boolean {
    return !r.group.includes('.') || r.group.endsWith('k8s.io');
  }

  private requireNamespace(namespace: string | undefined, r: ResourceType, name: string): void {
    if (!namespace) throw badRequest('the namespace of the object is required');
    const nsType = this.registry.find('', 'v1', 'namespaces')!;
    const ns = this.store.get(nsType, undefined, namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp && r.kind !== 'Event') {
      throw new ApiError(403, 'Forbidden', `${r.plural}${r.group ? `.${r.group}` : ''} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  /** Decodes a create or update body: strict field validation, undeclared fields dropped. */
  private decode(t: Target, req: Request): Obj {
    const directive = fieldValidation(req.query);
    let body: Obj;
    try {
      body = req.contentType.includes('yaml') ? parseYaml(req.body, { uniqueKeys: false }) : JSON.parse(req.body);
      if (!body || typeof body !== 'object') throw new Error('not an object');
    } catch (err) {
      throw badRequest(`error decoding request body: ${(err as Error).message}`);
    }
    const text = req.contentType.includes('yaml') ? undefined : req.body;
    const decoded = decodeStrictly(body, text, this.typeOf(t.resource), directive, t.resource.kind, t.resource.version);
    (req.warnings ??= []).push(...decoded.warnings);
    return decoded.object;
  }

  private deleteOptions(req: Request): { propagationPolicy: string; dryRun: boolean; gracePeriodSeconds?: number; preconditions?: Obj } {
    let body: Obj = {};
    if (req.body.trim()) {
      try {
        body = JSON.parse(req.body) as Obj;
      } catch {
        throw badRequest('error decoding DeleteOptions');
      }
    }
    const orphan = body.orphanDependents ?? (req.query.get('orphanDependents') === 'true' ? true : undefined);
    const propagationPolicy = body.propagationPolicy ?? req.query.get('propagationPolicy') ?? (orphan ? 'Orphan' : 'Background');
    const dryRun = (body.dryRun ?? []).includes('All') || req.query.get('dryRun') === 'All';
    const queryGrace = req.query.get('gracePeriodSeconds');
    const gracePeriodSeconds = body.gracePeriodSeconds ?? (queryGrace === null ? undefined : Number(queryGrace));
    return { propagationPolicy, dryRun, gracePeriodSeconds, preconditions: body.preconditions };
  }

  private orphanDependents(uid: string): void {
    for (const { resource, object } of this.store.entries()) {
      const refs = (object.metadata.ownerReferences ?? []) as Obj[];
      if (!refs.some((o) => o.uid === uid)) continue;
      const r = this.registry.all().find((x) => `${x.group}/${x.plural}` === resource)!;
      object.metadata.ownerReferences = refs.filter((o) => o.uid !== uid);
      if (!object.metadata.ownerReferences.length) delete object.metadata.ownerReferences;
      this.store.put(r, object, 'MODIFIED');
    }
  }

  private syncCrds(): void {
    const crdType = this.registry.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    this.registry.syncCustomResources(this.store.list(crdType));
  }
}

/**
 * An apply body: JSON (what kubectl and client-go send) read as JSON, anything else as YAML. The
 * values are the same (YAML 1.2 reads JSON as JSON; a repeated key keeps its last value either
 * way); JSON.parse costs ~1/50 of the YAML parse, which was most of an apply's CPU.
 */
function parseApplyBody(text: string): { config: Obj; json: boolean } {
  if (text.trimStart().startsWith('{')) {
    try {
      return { config: JSON.parse(text) as Obj, json: true };
    } catch {
      // not JSON after all: YAML decides
    }
  }
  return { config: parseYaml(text, { uniqueKeys: false }) as Obj, json: false };
}

/** `line N: key "k" already set in map` for each repeated key of a YAML or JSON apply body. */
function repeatedKeys(text: string, json: boolean): string[] {
  // A JSON object without a repeated key has none as YAML either: no YAML parse for it.
  if (json && duplicateFields(text).length === 0) return [];
  const doc = parseDocument(text, { uniqueKeys: true });
  const found = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => `line ${e.linePos?.[0].line ?? 1}: key ${JSON.stringify(keyAt(text, e.pos[0]))} already set in map`);
  return found.length || !json ? found : duplicateFields(text).map((p) => `line 1: key ${JSON.stringify(p.split('.').at(-1))} already set in map`);
}

/** kubectl and client-go name the manager explicitly; otherwise the user agent's program name. */
function fieldManager(req: Request, _verb: string): string {
  return req.query.get('fieldManager') ?? (req.userAgent.split('/')[0] || 'unknown');
}
