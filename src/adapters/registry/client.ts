// Registry HTTP API v2 over fetch: manifest HEAD (OCI and Docker manifests and indexes), tag
// listing, manifest delete; Basic and Bearer-token challenges answered with Docker config
// credentials. Errors become EnvironmentError (exit 3) naming the registry, never a credential.
import { contentDigest } from '../../core/content-digest.js';
import { setMaxListeners } from 'node:events';
import { EnvironmentError } from '../../errors.js';
import { Readable } from 'node:stream';
import { MissingBlobsError, type BlobSource, type Registry, type StoredManifest } from '../../ports/index.js';
import type { Credentials } from './credentials.js';
import type { ImageReference } from '../../core/image-ref.js';
import { nodeFetch } from './node-fetch.js';
import { registryBaseUrl } from './reference.js';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface RegistryClientOptions {
  credentials: { get(registry: string): Promise<Credentials | null> };
  insecureRegistries?: readonly string[];
  fetch?: typeof fetch;
  /** Bound on each request (connect and response), default 30 s. */
  timeoutMs?: number;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(header: string): Challenge {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  return { scheme, params };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The blobs a registry names in MANIFEST_BLOB_UNKNOWN / BLOB_UNKNOWN errors of a manifest PUT. */
function missingBlobs(body: string): string[] {
  try {
    const errors = (JSON.parse(body) as { errors?: { code?: string; detail?: unknown }[] }).errors ?? [];
    return errors.filter((e) => /BLOB_UNKNOWN/.test(e.code ?? '') && typeof e.detail === 'string' && DIGEST.test(e.detail)).map((e) => e.detail as string);
  } catch {
    return [];
  }
}

/** The digest of the manifest bytes, agreeing with what the registry and the reference say (exit 3 otherwise). */
export function checkedManifestDigest(registry: string, repository: string, body: Buffer, header: string | null, wanted?: string): string {
  const actual = contentDigest(body);
  const refuse = (what: string) =>
    new EnvironmentError(`registry ${registry} sent ${what} for ${repository}`, {
      hint: 'the registry (or something between us and it) is not behaving as a registry; nothing was changed',
    });
  if (header !== null && !DIGEST.test(header)) throw refuse(`a malformed Docker-Content-Digest (${JSON.stringify(header.slice(0, 80))})`);
  if (header !== null && header !== actual) throw refuse(`a manifest whose bytes (${actual}) do not match its Docker-Content-Digest (${header})`);
  if (wanted !== undefined && wanted !== actual) throw refuse(`a manifest whose bytes (${actual}) do not match the requested digest ${wanted}`);
  return actual;
}

export class RegistryClient implements Registry {
  private readonly tokens = new Map<string, string>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RegistryClientOptions) {
    this.fetch = options.fetch ?? nodeFetch;
  }

  /**
   * The manifest digest the registry holds for a reference, or null when absent. The manifest is
   * fetched and its bytes hashed: a registry's header is never pasted into a manifest unchecked.
   */
  async manifestDigest(ref: ImageReference, signal?: AbortSignal): Promise<string | null> {
    const { registry, repository, tag, digest } = ref;
    const res = await this.request(registry, repository, 'pull', 'GET', `/v2/${repository}/manifests/${digest ?? tag ?? 'latest'}`, {
      headers: { Accept: MANIFEST_TYPES },
      signal,
    });
    if (res.status === 404) return null;
    this.expectOk(res, registry, repository, 'read');
    const body = Buffer.from(await res.arrayBuffer());
    return checkedManifestDigest(registry, repository, body, res.headers.get('docker-content-digest'), digest);
  }

  async tags(repositoryRef: ImageReference, signal?: AbortSignal): Promise<string[]> {
    const { registry, repository } = repositoryRef;
    const tags: string[] = [];
    let path: string | null = `/v2/${repository}/tags/list?n=1000`;
    while (path) {
      const res = await this.request(registry, repository, 'pull', 'GET', path, { signal });
      if (res.status === 404) return tags;
      this.expectOk(res, registry, repository, 'list');
      const body = (await res.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
      path = link ? link[1]! : null;
    }
    return tags;
  }

  async deleteManifest(repositoryRef: ImageReference, digest: string, signal?: AbortSignal): Promise<void> {
    const { registry, repository } = repositoryRef;
    const res = await this.request(registry, repository, 'delete', 'DELETE', `/v2/${repository}/manifests/${digest}`, { signal });
    if (res.status === 404) return;
    if (res.status === 405 || (res.status === 400 && /unsupported/i.test(await res.clone().text()))) {
      throw new EnvironmentError(`registry ${registry} does not allow deletes (HTTP ${res.status})`, {
        hint: 'enable deletes in the registry (distribution: storage.delete.enabled: true, or REGISTRY_STORAGE_DELETE_ENABLED=true); nothing was deleted from this repository',
      });
    }
    this.expectOk(res, registry, repository, 'delete');
  }

  async created(ref: ImageReference, signal?: AbortSignal): Promise<Date | null> {
    const read = async (r: ImageReference) => {
      const stored = await this.manifest(r, signal);
      return stored ? (JSON.parse(stored.bytes.toString('utf8')) as { manifests?: { digest: string }[]; config?: { digest: string } }) : null;
    };
    let manifest = await read(ref);
    if (manifest?.manifests?.length) manifest = await read({ ...ref, digest: manifest.manifests[0]!.digest });
    if (!manifest?.config?.digest) return null;
    const config = JSON.parse((await this.blob(ref, manifest.config.digest, signal)).toString('utf8')) as { created?: string };
    const created = config.created ? new Date(config.created) : null;
    return created && !Number.isNaN(created.getTime()) ? created : null;
  }

  async manifest(ref: ImageReference, signal?: AbortSignal): Promise<StoredManifest | null> {
    const { registry, repository, tag, digest } = ref;
    const res = await this.request(registry, repository, 'pull', 'GET', `/v2/${repository}/manifests/${digest ?? tag ?? 'latest'}`, { headers: { Accept: MANIFEST_TYPES }, signal });
    if (res.status === 404) return null;
    this.expectOk(res, registry, repository, 'read');
    const bytes = Buffer.from(await res.arrayBuffer());
    const checked = checkedManifestDigest(registry, repository, bytes, res.headers.get('docker-content-digest'), digest);
    const mediaType = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? res.headers.get('content-type') ?? '';
    return { mediaType, bytes, digest: checked };
  }

  async blob(repositoryRef: ImageReference, digest: string, signal?: AbortSignal): Promise<Buffer> {
    const { registry, repository } = repositoryRef;
    const res = await this.request(registry, repository, 'pull', 'GET', `/v2/${repository}/blobs/${digest}`, { signal });
    this.expectOk(res, registry, repository, `read blob ${digest} of`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (contentDigest(bytes) !== digest) {
      throw new EnvironmentError(`registry ${registry} sent blob bytes that do not match ${digest} in ${repository}`, { hint: 'the registry storage is damaged, or something between us and it alters answers' });
    }
    return bytes;
  }

  async hasBlob(repositoryRef: ImageReference, digest: string, signal?: AbortSignal): Promise<boolean> {
    const { registry, repository } = repositoryRef;
    const res = await this.request(registry, repository, 'pull', 'HEAD', `/v2/${repository}/blobs/${digest}`, { signal });
    if (res.status === 404) return false;
    this.expectOk(res, registry, repository, 'read');
    return true;
  }

  async pushBlob(repositoryRef: ImageReference, blob: BlobSource, signal?: AbortSignal, options: { force?: boolean } = {}): Promise<void> {
    if (!options.force && (await this.hasBlob(repositoryRef, blob.digest, signal))) return;
    const { registry, repository } = repositoryRef;
    // Uploads are not idempotent requests, so the whole POST+PUT is what is retried.
    for (let attempt = 0; ; attempt++) {
      const res = await this.uploadOnce(repositoryRef, blob, signal).catch((err: unknown) => {
        if (signal?.aborted || attempt >= RETRIES || !(err instanceof EnvironmentError)) throw err;
        return null;
      });
      if (res && (res.ok || res.status === 201)) return;
      if (res && !(res.status >= 500 || res.status === 429)) this.expectOk(res, registry, repository, `upload blob ${blob.digest} to`);
      if (attempt >= RETRIES) this.expectOk(res!, registry, repository, `upload blob ${blob.digest} to`);
      await sleep(250 * 2 ** attempt, signal);
    }
  }

  private async uploadOnce(repositoryRef: ImageReference, blob: BlobSource, signal?: AbortSignal): Promise<Response> {
    const { registry, repository } = repositoryRef;
    const mount = blob.mountFrom && blob.mountFrom !== repository ? `?mount=${encodeURIComponent(blob.digest)}&from=${encodeURIComponent(blob.mountFrom)}` : '';
    const started = await this.request(registry, repository, 'pull,push', 'POST', `/v2/${repository}/blobs/uploads/${mount}`, { signal });
    if (started.status === 201) return started; // mounted
    if (started.status !== 202) return started;
    const location = started.headers.get('location');
    if (!location) throw new EnvironmentError(`registry ${registry} started an upload without a Location`, { hint: 'the registry is not speaking the distribution API' });
    const url = new URL(location, `${registryBaseUrl(registry, this.options.insecureRegistries ?? [])}/`);
    url.searchParams.set('digest', blob.digest);
    const body = await blob.open();
    // A Node stream goes to the transport as it is (node:http pipes it).
    const payload = Buffer.isBuffer(body) ? body : (Readable.from(body as AsyncIterable<Buffer>) as unknown as ReadableStream);
    return this.request(registry, repository, 'pull,push', 'PUT', `${url.pathname}${url.search}`, {
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.size) },
      body: payload,
      signal,
      // The bound covers the whole upload: the usual one, plus a second per MB (a 1 MB/s floor).
      timeoutMs: (this.options.timeoutMs ?? 30_000) + Math.ceil(blob.size / 1e6) * 1000,
    });
  }

  async putManifest(ref: ImageReference, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<string> {
    const { registry, repository, tag } = ref;
    const local = contentDigest(bytes);
    const res = await this.request(registry, repository, 'pull,push', 'PUT', `/v2/${repository}/manifests/${tag ?? local}`, {
      headers: { 'Content-Type': mediaType },
      body: bytes,
      signal,
    });
    if (!res.ok) {
      const text = await res.text();
      const detail = text.slice(0, 300);
      if (res.status === 401 || res.status === 403) this.expectOk(res, registry, repository, 'push to');
      const missing = missingBlobs(text);
      if (res.status === 400 && missing.length) {
        throw new MissingBlobsError(`registry ${registry} does not have blobs of ${repository}:${tag}: ${missing.join(', ')}`, missing, { hint: 'another push or a garbage collection raced with this one; run again' });
      }
      throw new EnvironmentError(`registry ${registry} refused the manifest of ${repository}:${tag} (HTTP ${res.status}): ${detail}`, { hint: 'check that the registry accepts Docker v2 schema 2 manifests and that its storage is writable' });
    }
    return checkedManifestDigest(registry, repository, bytes, res.headers.get('docker-content-digest'), local);
  }

  private expectOk(res: Response, registry: string, repository: string, what: string): void {
    if (res.ok) return;
    if (res.status === 401 || res.status === 403) {
      throw new EnvironmentError(`registry ${registry}: not allowed to ${what} ${repository} (HTTP ${res.status})`, {
        hint: `log in: docker login ${registry} (credentials come from $DOCKER_CONFIG/config.json or ~/.docker/config.json)`,
      });
    }
    throw new EnvironmentError(`registry ${registry} answered HTTP ${res.status} for ${repository}`, {
      hint: 'the registry is failing; retry later (nothing was changed)',
    });
  }

  private async request(
    registry: string,
    repository: string,
    action: string,
    method: string,
    path: string,
    init: { headers?: Record<string, string>; signal?: AbortSignal; body?: Buffer | ReadableStream; timeoutMs?: number },
  ): Promise<Response> {
    const url = `${registryBaseUrl(registry, this.options.insecureRegistries ?? [])}${path}`;
    const scope = `repository:${repository}:${action}`;
    const cached = this.tokens.get(`${registry} ${scope}`);
    const send = (authorization?: string) =>
      this.send(registry, url, {
        method,
        headers: { ...init.headers, ...(authorization ? { Authorization: authorization } : {}) },
        signal: init.signal,
        ...(init.body ? { body: init.body, duplex: 'half' } : {}),
      } as RequestInit, init.timeoutMs);
    let res = await send(cached);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
    const credentials = await this.options.credentials.get(registry);
    let authorization: string | undefined;
    if (challenge.scheme === 'basic') {
      if (!credentials?.username) return res;
      authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`;
    } else if (challenge.scheme === 'bearer') {
      authorization = `Bearer ${await this.token(registry, challenge, scope, credentials, init.signal)}`;
    } else return res;
    this.tokens.set(`${registry} ${scope}`, authorization);
    res = await send(authorization);
    return res;
  }

  /** The token flow of the distribution spec: GET realm?service=&scope= (Basic when we have credentials). */
  private async token(registry: string, challenge: Challenge, scope: string, credentials: Credentials | null, signal?: AbortSignal): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new EnvironmentError(`registry ${registry} sent a Bearer challenge without a realm`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? scope);
    let res: Response;
    try {
      if (credentials?.identityToken) {
        const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, service: challenge.params.service ?? '', scope, client_id: 'slipway' });
        res = await this.send(url.host, realm, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString(), signal });
      } else {
        const headers: Record<string, string> = credentials?.username
          ? { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}` }
          : {};
        res = await this.send(url.host, url.toString(), { method: 'GET', headers, signal });
      }
    } catch (err) {
      if (!(err instanceof EnvironmentError)) throw err;
      // The registry answered; its token server did not: say which one.
      throw new EnvironmentError(`token server ${url.host} of registry ${registry} ${err.message.replace(/^registry \S+ /, '')}`, {
        cause: err,
        hint: `the registry sends clients to ${url.origin} for tokens: check that it is reachable from here`,
      });
    }
    if (res.status === 401 || res.status === 403) {
      throw new EnvironmentError(`registry ${registry}: the token service refused the credentials (HTTP ${res.status})`, {
        hint: `log in: docker login ${registry}`,
      });
    }
    if (!res.ok) throw new EnvironmentError(`registry ${registry}: token service answered HTTP ${res.status}`, { hint: 'retry later; nothing was changed' });
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new EnvironmentError(`registry ${registry}: the token service sent no token`, { hint: 'check the token server configuration' });
    return token;
  }

  /** One request with a bounded time; idempotent requests are retried with back-off on 5xx, 429 and network faults. */
  private async send(registry: string, url: string, init: RequestInit, timeoutOverride?: number): Promise<Response> {
    const idempotent = ['GET', 'HEAD'].includes(init.method ?? 'GET');
    const timeoutMs = timeoutOverride ?? this.options.timeoutMs ?? 30_000;
    const caller = init.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      const last = !idempotent || attempt >= RETRIES;
      try {
        const res = await this.fetch(url, { ...init, signal: bounded(timeoutMs, caller) });
        if (last || !(res.status >= 500 || res.status === 429)) return res;
        await res.body?.cancel();
      } catch (err) {
        if (caller?.aborted) throw err;
        if (last) throw unreachable(registry, err, timeoutMs);
      }
      await sleep(250 * 2 ** attempt, caller);
    }
  }
}

/**
 * A signal that aborts after `ms` (covering the body read too) or with the caller's. Not
 * AbortSignal.any(AbortSignal.timeout()): on Node 20 the composite can lose its timeout source to
 * garbage collection and then never fires.
 */
function bounded(ms: number, caller?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  if (caller) {
    if (caller.aborted) controller.abort(caller.reason);
    else {
      setMaxListeners(0, caller); // one listener per request in flight, detached when it ends
      const forward = () => controller.abort(caller.reason);
      caller.addEventListener('abort', forward, { once: true });
      controller.signal.addEventListener('abort', () => caller.removeEventListener('abort', forward), { once: true });
      // Released once the request is done with: the timer fires (unref'd) and detaches it.
    }
  }
  return controller.signal;
}

const RETRIES = 3;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

function unreachable(registry: string, err: unknown, timeoutMs: number): EnvironmentError {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const why = e.name === 'TimeoutError' ? `did not answer within ${timeoutMs / 1000}s` : `is unreachable (${e.cause?.code ?? e.cause?.message ?? e.message})`;
  return new EnvironmentError(`registry ${registry} ${why}`, {
    cause: err,
    hint: `check that ${registry} is up and reachable from here${/^(127\.|localhost)/.test(registry) ? ' (npm run stack -- up starts one)' : ''}; SLIPWAY_REQUEST_TIMEOUT sets the time bound`,
  });
}
