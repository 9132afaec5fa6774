// kubesim's HTTPS front: bearer-token authentication (an admin and a read-only user), routing
// of the Kubernetes REST paths, discovery, watch and log streams, and the fault-injection admin
// endpoints under /kubesim.dev/.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Api, type Request, type Target } from './api.js';
import { apiGroup, apiGroupList, apiVersions, resourceList, VERSION } from './discovery.js';
import { Cluster } from './controllers/cluster.js';
import { DockerRuntime } from './controllers/docker-runtime.js';
import { ControllerManager } from './controllers/manager.js';
import { Faults } from './faults.js';
import { toTable, wantsTable } from './tables.js';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf, isKubernetesProtobuf } from './protobuf.js';
import { openApiGroupVersion, openApiRoot, openApiV2Json } from './openapi.js';
import { openApiV2Protobuf } from './openapi-v2.js';
import { GarbageCollector } from './gc.js';
import { LogStore } from './logs.js';
import { ResourceRegistry } from './resources.js';
import { ExecHandler } from './exec.js';
import { authorize, review, REVIEW_KINDS } from './reviews.js';
import { ApiError, badRequest, forbidden, notFound, unauthorized } from './status.js';
import { Store, type Obj } from './store.js';
import type { Certificates } from './tls.js';
import { Watches } from './watch.js';

export interface KubesimOptions {
  certificates: Certificates;
  tokens: { admin: string; readonly: string };
  bookmarkSeconds?: number;
  nodes?: number;
  /** Multiplies the kubelet's back-offs (10 s doubling to 300 s); tests shorten them. */
  backoffScale?: number;
  kubelet?: 'fake' | 'docker';
}

const WRITE_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export class Kubesim {
  readonly store = new Store();
  readonly registry = new ResourceRegistry();
  readonly faults = new Faults();
  readonly logs = new LogStore();
  readonly watches: Watches;
  readonly api: Api;
  private readonly gc: GarbageCollector;
  /** Responses whose client asked for protobuf first. */
  private readonly protobufReplies = new WeakSet<ServerResponse>();
  readonly controllers: ControllerManager;
  readonly runtime?: DockerRuntime;
  private controllersScheduled = false;
  readonly server: Server;

  constructor(private readonly options: KubesimOptions) {
    this.gc = new GarbageCollector(this.store, this.registry, (pod) => this.api.deletePod(pod));
    this.api = new Api(this.store, this.registry, (deleted) => {
      if (deleted) this.gc.schedule();
      this.scheduleControllers();
    });
    this.watches = new Watches(this.store, options.bookmarkSeconds ?? 60);
    // KUBESIM_LOG_REQUESTS=1: one line per request on stderr (method, path, status, milliseconds).
    const log = process.env.KUBESIM_LOG_REQUESTS === '1';
    this.server = createServer({ cert: options.certificates.cert, key: options.certificates.key }, (req, res) => {
      if (log) {
        const started = process.hrtime.bigint();
        res.on('finish', () => process.stderr.write(`kubesim: ${req.method} ${req.url} ${res.statusCode} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}ms\n`));
      }
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    });
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.api.create({ resource: this.registry.find('', 'v1', 'namespaces')! }, { method: 'POST', query: new URLSearchParams(), body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), contentType: 'application/json', userAgent: 'kubesim' });
    }
    const cluster = new Cluster(this.store, this.registry, this.api);
    this.runtime = options.kubelet === 'docker' ? new DockerRuntime(cluster, this.logs) : undefined;
    const exec = new ExecHandler(this.api, this.runtime, (req) => this.authenticate(req));
    this.server.on('upgrade', (req, socket, head) => {
      if (!exec.handle(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    });
    this.controllers = new ControllerManager(cluster, this.logs, { nodes: options.nodes ?? 3, backoffScale: options.backoffScale ?? 1, runtime: this.runtime, caCert: options.certificates.caCert });
    this.controllers.start();
  }

  /** Stops the controllers and removes every container this instance started. */
  async shutdown(): Promise<void> {
    this.controllers.stop();
    await this.runtime?.stopAll();
  }

  private scheduleControllers(): void {
    if (this.controllersScheduled) return;
    this.controllersScheduled = true;
    setImmediate(() => {
      this.controllersScheduled = false;
      this.controllers.run();
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as { port: number }).port)));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://kubesim');
    const user = this.authenticate(req);
    const body = await readBody(req);
    if (url.pathname.startsWith('/kubesim.dev/')) {
      if (user !== 'admin') throw forbidden(user ?? 'system:anonymous', 'use', 'kubesim.dev', 'admin');
      return this.admin(url.pathname.slice('/kubesim.dev/'.length), body.toString('utf8'), res);
    }
    if (['/readyz', '/livez', '/healthz'].includes(url.pathname)) return this.text(res, 200, 'ok');
    if (!user) throw unauthorized();
    const delay = this.faults.currentLatency();
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const injected = this.faults.takeFailure();
    if (injected) {
      throw injected === 503
        ? new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request')
        : new ApiError(injected, 'InternalError', 'an error on the server ("injected by kubesim") has prevented the request from succeeding');
    }
    const parts = url.pathname.split('/').filter(Boolean);
    // client-go's typed clients put protobuf first in Accept: answer in kind (watches and tables stay JSON).
    const accept = String(req.headers.accept ?? '');
    if (accept.split(',')[0]!.trim().startsWith(PROTOBUF) && !['true', '1'].includes(url.searchParams.get('watch') ?? '') && parts[0] !== 'openapi') this.protobufReplies.add(res);
    if (url.pathname === '/version') return this.json(res, 200, VERSION);
    if (url.pathname === '/openapi/v2') {
      const accept = String(req.headers.accept ?? '');
      if (accept.includes('application/json') && !accept.includes('protobuf')) return this.json(res, 200, openApiV2Json());
      res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' });
      res.end(openApiV2Protobuf(this.registry));
      return;
    }
    if (url.pathname === '/openapi/v3') return this.json(res, 200, openApiRoot(this.registry));
    if (parts[0] === 'openapi' && parts[1] === 'v3') {
      const [g, v] = parts[2] === 'api' ? ['', parts[3]!] : [parts[3]!, parts[4]!];
      const doc = openApiGroupVersion(this.registry, g, v);
      if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return this.json(res, 200, doc);
    }
    if (parts[0] === 'api' && parts.length === 1) return this.json(res, 200, apiVersions());
    if (parts[0] === 'apis' && parts.length === 1) return this.json(res, 200, apiGroupList(this.registry));
    if (parts[0] === 'apis' && parts.length === 2) {
      const versions = this.registry.groupVersions().filter((g) => g.group === parts[1]).map((g) => g.version);
      if (!versions.length) throw notFound('', 'groups', parts[1]!);
      return this.json(res, 200, apiGroup(parts[1]!, versions));
    }
    const [group, version, rest] = parts[0] === 'api' ? ['', parts[1]!, parts.slice(2)] : parts[0] === 'apis' ? [parts[1]!, parts[2]!, parts.slice(3)] : [undefined, '', []];
    if (group === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (rest.length === 0) {
      const list = resourceList(this.registry, group, version);
      if (!list) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return this.json(res, 200, list);
    }
    const target = this.target(group, version, rest);
    const verb = WRITE_VERBS[req.method ?? 'GET'];
    if (verb && !authorize(user, { verb, group, resource: target.resource.plural }).allowed) {
      throw forbidden('kubesim-readonly', WRITE_VERBS[req.method!]!, group, target.resource.plural, target.namespace, target.name);
    }
    let contentType = String(req.headers['content-type'] ?? 'application/json');
    let text = body.toString('utf8');
    if (isKubernetesProtobuf(body)) {
      text = JSON.stringify(decodeKubernetesProtobuf(body));
      contentType = 'application/json';
    }
    const request: Request = { method: req.method ?? 'GET', query: url.searchParams, body: text, contentType, userAgent: String(req.headers['user-agent'] ?? '') };
    if (REVIEW_KINDS.has(target.resource.kind)) {
      if (request.method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      let body: Obj;
      try {
        body = JSON.parse(request.body || '{}') as Obj;
      } catch (err) {
        throw badRequest(`error decoding request body: ${(err as Error).message}`);
      }
      const created = review(target.resource.kind, body, user, this.options.tokens, target.namespace);
      return this.json(res, 201, created);
    }
    return this.dispatch(target, request, res, wantsTable(req.headers.accept));
  }

  private dispatch(t: Target, req: Request, res: ServerResponse, table = false): void {
    const watch = ['true', '1'].includes(req.query.get('watch') ?? '');
    if (t.subresource === 'log') return this.podLog(t, req.query, res);
    if (t.subresource === 'exec') throw badRequest('Upgrade request required');
    if (t.subresource && !t.resource.subresources.includes(t.subresource)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (t.subresource === 'scale') return this.scale(t, req, res);
    switch (req.method) {
      case 'GET':
        if (watch) return this.watches.serve(t.resource, t.namespace, req.query, res);
        if (table && !t.subresource) {
          const items = t.name ? [this.api.get(t)] : (this.api.list(t, req.query).items as Obj[]);
          return this.json(res, 200, toTable(t.resource, items, String(this.store.currentRv), req.query.get('includeObject')));
        }
        return this.json(res, 200, t.name ? this.api.get(t) : this.api.list(t, req.query));
      case 'POST': {
        if (t.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const created = this.api.create(t, req);
        return this.json(res, created.status, created.object, req.warnings);
      }
      case 'PUT':
        if (!t.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return this.json(res, 200, this.api.update(t, req), req.warnings);
      case 'PATCH': {
        if (!t.name) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        const patched = this.api.patch(t, req);
        return this.json(res, patched.status, patched.object, req.warnings);
      }
      case 'DELETE':
        return this.json(res, 200, t.name ? this.api.delete(t, req) : this.api.deleteCollection(t, req));
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  }

  /**
   * The scale subresource speaks autoscaling/v1 Scale (as the API server does): reads build it
   * from the object; writes change only spec.replicas, recorded for the manager with
   * `subresource: scale`.
   */
  private scale(t: Target, req: Request, res: ServerResponse): void {
    const toScale = (o: Obj): Obj => {
      const selector = o.spec?.selector?.matchLabels as Record<string, string> | undefined;
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
        spec: { replicas: o.spec?.replicas ?? 0 },
        status: { replicas: o.status?.replicas ?? 0, ...(selector ? { selector: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') } : {}) },
      };
    };
    if (req.method === 'GET') return this.json(res, 200, toScale(this.api.get({ ...t, subresource: undefined })));
    if (req.method !== 'PUT' && req.method !== 'PATCH') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    let replicas: unknown;
    try {
      const body = JSON.parse(req.body || '{}') as Obj | Obj[];
      replicas = Array.isArray(body) ? body.find((op) => op.path === '/spec/replicas')?.value : body.spec?.replicas;
    } catch {
      throw badRequest('the body of a scale request must be JSON');
    }
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw new ApiError(422, 'Invalid', `Scale.autoscaling "${t.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
    const patched = this.api.patch(t, { ...req, method: 'PATCH', contentType: 'application/merge-patch+json', body: JSON.stringify({ spec: { replicas } }) });
    return this.json(res, 200, toScale(patched.object));
  }

  /** `/namespaces/<ns>/<plural>[/<name>[/<sub>]]` or `/<plural>[/<name>[/<sub>]]`. */
  private target(group: string, version: string, rest: string[]): Target {
    let namespace: string | undefined;
    let path = rest;
    if (rest[0] === 'namespaces' && rest.length >= 3 && this.registry.find(group, version, rest[2]!)?.namespaced) {
      namespace = rest[1];
      path = rest.slice(2);
    }
    const resource = this.registry.find(group, version, path[0]!);
    if (!resource) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (resource.namespaced && namespace === undefined && path.length > 1) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    return { resource, namespace, name: path[1], subresource: path[2] };
  }

  private podLog(t: Target, query: URLSearchParams, res: ServerResponse): void {
    const pod = this.api.get(t);
    const names = ((pod.spec?.containers ?? []) as Obj[]).map((c) => c.name as string);
    const container = query.get('container') ?? (names.length === 1 ? names[0] : undefined);
    if (!container) throw badRequest(`a container name must be specified for pod ${t.name}, choose one of: [${names.join(' ')}]`);
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${t.name}`);
    const previous = query.get('previous') === 'true';
    const tail = query.get('tailLines');
    const lines = this.logs.read(t.namespace!, t.name!, container, { previous, tailLines: tail === null ? undefined : Number(tail) });
    if (!lines) {
      if (previous) throw badRequest(`previous terminated container "${container}" in pod "${t.name}" not found`);
      throw badRequest(`container "${container}" in pod "${t.name}" is waiting to start: ContainerCreating`);
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write(lines.map((l) => `${l}\n`).join(''));
    if (query.get('follow') === 'true' && !previous) this.logs.follow(t.namespace!, t.name!, container, res);
    else res.end();
  }

  private admin(action: string, body: string, res: ServerResponse): void {
    const args = (body ? JSON.parse(body) : {}) as Obj;
    switch (action) {
      case 'fail':
        this.faults.fail(Number(args.status ?? 503), args.count, args.seconds);
        return this.json(res, 200, { ok: true });
      case 'latency':
        this.faults.latency(Number(args.ms ?? 0), args.seconds);
        return this.json(res, 200, { ok: true });
      case 'clear':
        this.faults.clear();
        return this.json(res, 200, { ok: true });
      case 'drop-watches':
        return this.json(res, 200, { dropped: this.watches.dropAll() });
      case 'compact':
        this.store.compact();
        return this.json(res, 200, { compactedBefore: this.store.oldestRv });
      case 'logs':
        this.logs.append(args.namespace, args.pod, args.container, args.lines ?? [], Boolean(args.previous));
        return this.json(res, 200, { ok: true });
      case 'state':
        return this.json(res, 200, { resourceVersion: this.store.currentRv, watches: this.watches.count, kubelet: this.runtime ? 'docker' : 'fake', instance: this.runtime?.instance });
      default:
        throw new ApiError(404, 'NotFound', `no admin action "${action}"`);
    }
  }

  private authenticate(req: IncomingMessage): 'admin' | 'readonly' | undefined {
    const header = String(req.headers.authorization ?? '');
    if (header === `Bearer ${this.options.tokens.admin}`) return 'admin';
    if (header === `Bearer ${this.options.tokens.readonly}`) return 'readonly';
    return undefined;
  }

  private json(res: ServerResponse, status: number, body: unknown, warnings: string[] = []): void {
    // One `299 - "<text>"` header per distinct warning (apiserver filters/warning.go).
    const warning = [...new Set(warnings)].map((w) => `299 - "${w.replace(/["\\]/g, '\\$&')}"`);
    const encoded = this.protobufReplies.has(res) && !isTable(body) ? encodeKubernetesProtobuf(body as Obj) : undefined;
    if (encoded) {
      res.writeHead(status, { 'Content-Type': PROTOBUF, 'Cache-Control': 'no-cache, private', ...(warning.length ? { Warning: warning } : {}) });
      res.end(encoded);
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...(warning.length ? { Warning: warning } : {}) });
    res.end(JSON.stringify(body));
  }

  private text(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(body);
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    const error = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `an error on the server ("${(err as Error)?.message ?? String(err)}") has prevented the request from succeeding`);
    if (!(err instanceof ApiError)) process.stderr.write(`kubesim: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    this.json(res, error.code, error.body());
  }
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const isTable = (body: unknown) => (body as Obj)?.kind === 'Table';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
