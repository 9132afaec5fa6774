// HTTPS to the API server: every request has a time bound; 5xx, 429 and connection resets are
// retried with back-off (every request slipway sends is safe to repeat: apply, get, list, delete,
// and creates whose 409 the caller understands); TLS and network failures become exit 3.
import { Agent, request, type RequestOptions } from 'node:https';
import { request as plainRequest } from 'node:http';
import { createSecureContext, type SecureContext } from 'node:tls';
import { EnvironmentError, InterruptedError } from '../../errors.js';
import type { ClusterConnection } from './config.js';

export interface ApiResponse {
  status: number;
  body: any;
  text: string;
}

export interface HttpOptions {
  timeoutMs: number;
  /** Total time spent retrying before giving up, default 12 s. */
  retryBudgetMs?: number;
}

export const MAX_SOCKETS = 8;

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|DEPTH_ZERO/;

export class KubeHttp {
  /**
   * Requests that answer: at most 8 sockets. Each new socket is a TLS handshake that costs both
   * ends CPU; a no-op converge opened 13 at once for its dry runs and was ~15 ms slower for it.
   * Eight keeps the dry runs' parallelism (8 objects) on an API server that answers concurrently.
   */
  private readonly agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  /** Watches hold their socket for the whole rollout: a pool of their own, so they never queue requests. */
  private readonly streams = new Agent({ keepAlive: false });
  private base?: Promise<RequestOptions>;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly options: HttpOptions,
  ) {}

  get server(): string {
    return this.connection.server;
  }

  close(): void {
    this.agent.destroy();
    this.streams.destroy();
  }

  async call(method: string, path: string, init: { body?: unknown; contentType?: string; signal?: AbortSignal } = {}): Promise<ApiResponse> {
    const deadline = Date.now() + (this.options.retryBudgetMs ?? 12_000);
    for (let attempt = 0; ; attempt++) {
      let response: ApiResponse | undefined;
      let failure: unknown;
      try {
        response = await this.once(method, path, init);
      } catch (err) {
        if (init.signal?.aborted) throw new InterruptedError('interrupted', { cause: err });
        failure = err;
      }
      const retryable = response ? response.status >= 500 || response.status === 429 : isTransient(failure);
      if (!retryable || Date.now() >= deadline) {
        if (response) return response;
        throw this.unreachable(failure);
      }
      await sleep(Math.min(200 * 2 ** attempt, 2000), init.signal);
    }
  }

  /** A streaming GET (watch): yields lines as they arrive; ends when the server closes. */
  async *lines(path: string, signal?: AbortSignal): AsyncGenerator<string> {
    const { req, res } = await this.open('GET', path, { signal, stream: true });
    if ((res.statusCode ?? 0) >= 300) {
      const text = await readAll(res);
      throw Object.assign(new Error(`watch ${path}: HTTP ${res.statusCode}`), { status: res.statusCode, text });
    }
    let buffered = '';
    try {
      for await (const chunk of res) {
        buffered += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.trim()) yield line;
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (!isTransient(err)) throw err;
    } finally {
      req.destroy();
    }
  }

  private async once(method: string, path: string, init: { body?: unknown; contentType?: string; signal?: AbortSignal }): Promise<ApiResponse> {
    const { res } = await this.open(method, path, init);
    const text = await readAll(res);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode ?? 0, body, text };
  }

  private async open(method: string, path: string, init: { body?: unknown; contentType?: string; signal?: AbortSignal; stream?: boolean }) {
    this.base ??= this.connection.httpsOptions().then(sharedContext);
    const base = await this.base;
    const url = new URL(path, `${this.connection.server}/`);
    const payload = init.body === undefined ? undefined : Buffer.from(typeof init.body === 'string' ? init.body : JSON.stringify(init.body));
    const headers: Record<string, string | number> = { ...(base.headers as Record<string, string>), Accept: 'application/json' };
    if (payload) Object.assign(headers, { 'Content-Type': init.contentType ?? 'application/json', 'Content-Length': payload.length });
    const send = url.protocol === 'http:' ? plainRequest : request;
    return new Promise<{ req: ReturnType<typeof request>; res: import('node:http').IncomingMessage }>((resolve, reject) => {
      const req = send(url, { ...base, method, headers, agent: url.protocol === 'http:' ? undefined : init.stream ? this.streams : this.agent, signal: init.signal }, (res) => resolve({ req, res }));
      // Watches stay open; other requests must answer within the bound.
      req.setTimeout(init.stream ? 0 : this.options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    });
  }

  private unreachable(err: unknown): EnvironmentError {
    const e = err as NodeJS.ErrnoException;
    const code = e?.code ?? '';
    if (TLS_CODES.test(code) || /certificate/i.test(e?.message ?? '')) {
      return new EnvironmentError(`cluster ${this.server}: TLS certificate verification failed (${code || e.message})`, {
        cause: err,
        hint: `the server's certificate is not signed by the CA in ${this.connection.source}; check certificate-authority-data for context ${this.connection.context}`,
      });
    }
    const why = code === 'ETIMEDOUT' ? `did not answer within ${this.options.timeoutMs / 1000}s` : `is unreachable (${code || e?.message})`;
    return new EnvironmentError(`cluster ${this.server} ${why}`, {
      cause: err,
      hint: `check that the API server of context ${this.connection.context} is up (npm run stack -- up starts the local kubesim)`,
    });
  }
}

/**
 * The CA and client certificate parsed once into one TLS context for every connection: with
 * them as plain options, each new socket of a burst of parallel requests parsed them again.
 */
function sharedContext(options: RequestOptions): RequestOptions {
  const { ca, cert, key, pfx, passphrase, ...rest } = options;
  if (ca === undefined && cert === undefined && key === undefined && pfx === undefined) return options;
  const shared: RequestOptions & { secureContext: SecureContext } = { ...rest, secureContext: createSecureContext({ ca, cert, key, pfx, passphrase }) };
  return shared;
}

function isTransient(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  return ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET'].includes(code) || /socket hang up/.test((err as Error)?.message ?? '');
}

function readAll(res: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError('interrupted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new InterruptedError('interrupted'))), { once: true });
  });
