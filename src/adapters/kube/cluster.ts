// The Cluster port over the Kubernetes REST API: discovery maps kinds to resources (cached per
// run, looked up again on a miss so a CRD applied in this run becomes usable), server-side apply
// as field manager `slipway`, watches as async iterables, and API errors translated to the exit
// codes of SPEC section 2.
import { EnvironmentError, InputError, SlipwayError } from '../../errors.js';
import { WatchExpiredError, describeRef, type Cluster, type KubeObject, type ListOptions, type ObjectList, type ObjectRef, type WatchEvent } from '../../ports/index.js';
import type { ApiResponse, KubeHttp } from './http.js';

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

export const FIELD_MANAGER = 'slipway';

export class KubeCluster implements Cluster {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(private readonly http: KubeHttp) {}

  get server(): string {
    return this.http.server;
  }

  close(): void {
    this.http.close();
  }

  async apply(object: KubeObject, options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<KubeObject> {
    const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
    const path = await this.path(ref, options.signal);
    const query = `?fieldManager=${FIELD_MANAGER}&force=true${options.dryRun ? '&dryRun=All' : ''}`;
    const res = await this.http.call('PATCH', `${path}${query}`, { body: object, contentType: 'application/apply-patch+yaml', signal: options.signal });
    return this.expect(res, options.dryRun ? 'dry-run apply' : 'apply', ref);
  }

  async get(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | null> {
    const res = await this.http.call('GET', await this.path(ref, signal), { signal });
    if (res.status === 404) return null;
    return this.expect(res, 'get', ref);
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, options: ListOptions = {}, signal?: AbortSignal): Promise<ObjectList> {
    const base = await this.collection(apiVersion, kind, namespace, signal);
    const res = await this.http.call('GET', `${base}${query({ ...options })}`, { signal });
    const body = this.expect(res, 'list', { apiVersion, kind, namespace, name: '' }) as unknown as { items: KubeObject[]; metadata: { resourceVersion: string } };
    const items = body.items.map((i) => ({ ...i, apiVersion, kind }));
    return { items, resourceVersion: body.metadata.resourceVersion };
  }

  async create(object: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
    const res = await this.http.call('POST', `${await this.collection(object.apiVersion, object.kind, object.metadata.namespace, signal)}?fieldManager=${FIELD_MANAGER}`, { body: object, signal });
    return this.expect(res, 'create', ref);
  }

  async replace(object: KubeObject, signal?: AbortSignal): Promise<KubeObject> {
    const ref = { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
    const res = await this.http.call('PUT', `${await this.path(ref, signal)}?fieldManager=${FIELD_MANAGER}`, { body: object, signal });
    return this.expect(res, 'update', ref);
  }

  async delete(ref: ObjectRef, signal?: AbortSignal): Promise<boolean> {
    const res = await this.http.call('DELETE', await this.path(ref, signal), { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }, signal });
    if (res.status === 404) return false;
    this.expect(res, 'delete', ref);
    return true;
  }

  async *watch(apiVersion: string, kind: string, namespace: string | undefined, options: ListOptions & { resourceVersion: string }, signal?: AbortSignal): AsyncIterable<WatchEvent> {
    const base = await this.collection(apiVersion, kind, namespace, signal);
    const path = `${base}${query({ ...options, watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: '300' })}`;
    try {
      for await (const line of this.http.lines(path, signal)) {
        const event = JSON.parse(line) as { type: string; object: KubeObject & { code?: number; message?: string } };
        if (event.type === 'ERROR') {
          if (event.object.code === 410) throw new WatchExpiredError(event.object.message ?? 'expired');
          throw new EnvironmentError(`watch of ${kind} failed: ${event.object.message ?? 'unknown error'}`);
        }
        yield { type: event.type as WatchEvent['type'], object: { ...event.object, apiVersion, kind } };
      }
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 410) throw new WatchExpiredError('expired');
      if (status !== undefined) throw this.translate({ status, body: tryJson((err as { text?: string }).text), text: (err as { text?: string }).text ?? '' }, 'watch', { apiVersion, kind, namespace, name: '' });
      throw err;
    }
  }

  async logs(namespace: string, pod: string, container: string, options: { tailLines: number; previous?: boolean }, signal?: AbortSignal): Promise<string> {
    const q = `?container=${encodeURIComponent(container)}&tailLines=${options.tailLines}${options.previous ? '&previous=true' : ''}`;
    const res = await this.http.call('GET', `/api/v1/namespaces/${namespace}/pods/${pod}/log${q}`, { signal });
    return res.status === 200 ? res.text : '';
  }

  async isNamespaced(apiVersion: string, kind: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.resource(apiVersion, kind, signal)).namespaced;
  }

  private async path(ref: ObjectRef, signal?: AbortSignal): Promise<string> {
    return `${await this.collection(ref.apiVersion, ref.kind, ref.namespace, signal)}/${encodeURIComponent(ref.name)}`;
  }

  private async collection(apiVersion: string, kind: string, namespace: string | undefined, signal?: AbortSignal): Promise<string> {
    const info = await this.resource(apiVersion, kind, signal);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return info.namespaced && namespace ? `${prefix}/namespaces/${namespace}/${info.plural}` : `${prefix}/${info.plural}`;
  }

  private async resource(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo> {
    let found = (await this.resources(apiVersion, signal)).get(kind);
    if (!found) {
      // Maybe a CRD applied since the last look: ask once more.
      this.discovery.delete(apiVersion);
      found = (await this.resources(apiVersion, signal)).get(kind);
    }
    if (!found) {
      throw new InputError(`the cluster has no kind ${kind} in ${apiVersion}`, {
        hint: 'check apiVersion and kind; for a custom resource, its CustomResourceDefinition must be installed (or be part of this release)',
      });
    }
    return found;
  }

  private resources(apiVersion: string, signal?: AbortSignal): Promise<Map<string, ResourceInfo>> {
    let cached = this.discovery.get(apiVersion);
    if (!cached) {
      cached = (async () => {
        const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const res = await this.http.call('GET', path, { signal });
        const map = new Map<string, ResourceInfo>();
        if (res.status === 404) return map;
        const body = this.expect(res, 'discover', { apiVersion, kind: 'APIResourceList', name: '' }) as unknown as { resources: { name: string; kind: string; namespaced: boolean }[] };
        for (const r of body.resources) if (!r.name.includes('/') && !map.has(r.kind)) map.set(r.kind, { plural: r.name, namespaced: r.namespaced });
        return map;
      })();
      cached.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, cached);
    }
    return cached;
  }

  private expect(res: ApiResponse, verb: string, ref: ObjectRef): KubeObject {
    if (res.status >= 200 && res.status < 300) return res.body as KubeObject;
    throw this.translate(res, verb, ref);
  }

  private translate(res: ApiResponse, verb: string, ref: ObjectRef): SlipwayError {
    const status = res.body as { message?: string; reason?: string; details?: { causes?: { field?: string; message?: string; reason?: string }[] } } | undefined;
    const message = status?.message ?? (res.text.slice(0, 200) || `HTTP ${res.status}`);
    const what = ref.name ? describeRef(ref) : `${ref.kind}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
    if (res.status === 401) {
      return new EnvironmentError(`cluster ${this.server}: unauthorized to ${verb} ${what} (HTTP 401)`, { hint: 'the credentials in the kubeconfig were refused; log in again or pick another --kube-context' });
    }
    if (res.status === 403 && status?.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) {
      return new EnvironmentError(`cluster ${this.server}: cannot ${verb} ${what}: ${message}`, {
        hint: `the namespace is being deleted; run again once \`kubectl get namespace ${ref.namespace ?? ''}\` finds nothing`,
      });
    }
    if (res.status === 403) {
      return new EnvironmentError(`cluster ${this.server}: forbidden to ${verb} ${what}: ${message}`, { hint: 'the kubeconfig user lacks RBAC permission for this; use an account that may, or ask an admin' });
    }
    if (res.status === 400 || res.status === 422) {
      const causes = (status?.details?.causes ?? []).map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`);
      return new InputError(`the cluster rejected ${what}: ${message}`, { details: causes, hint: 'fix the template that renders it; nothing was written' });
    }
    if (res.status === 409) {
      return new EnvironmentError(`conflict on ${what}: ${message}`, { hint: 'someone else changed it at the same moment; run again' });
    }
    if (res.status >= 500 || res.status === 429) {
      return new EnvironmentError(`cluster ${this.server} kept failing (HTTP ${res.status}: ${message}) to ${verb} ${what}`, { hint: 'the API server is unhealthy or overloaded; retry later. The release record says how far this run got' });
    }
    return new EnvironmentError(`cluster ${this.server}: ${verb} ${what} answered HTTP ${res.status}: ${message}`, { hint: 'check the cluster and the kubeconfig' });
  }
}

function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as [string, string][];
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

function tryJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
