// The registry client's transport: fetch's interface over node:http/https. Node 20's fetch keeps
// the process alive ~80 ms after the last response (its connection pool's timers), on every
// run; node:http's keep-alive agent unrefs idle sockets, so the process exits as soon as the
// result is written. Responses are buffered (manifests, configs and small JSON documents) and
// answered as a small Response of our own: the global Headers and Response would load undici,
// ~20 ms of start-up on every registry request.
import type { Agent, IncomingMessage, request as HttpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { loadExternal } from '../load-external.js';

type Transport = { request: typeof HttpRequest; agent: Agent };
const transports = new Map<string, Promise<Transport>>();

/** node:http or node:https with a keep-alive agent, loaded on the first request (render never needs them). */
function transport(secure: boolean): Promise<Transport> {
  const key = secure ? 'https' : 'http';
  let t = transports.get(key);
  if (!t) {
    t = loadExternal<typeof import('node:http')>(secure ? 'node:https' : 'node:http').then((m) => ({ request: m.request as typeof HttpRequest, agent: new m.Agent({ keepAlive: true }) }));
    transports.set(key, t);
  }
  return t;
}

export const nodeFetch: typeof fetch = async (input, init = {}) => {
  const url = new URL(String(input));
  const { request, agent } = await transport(url.protocol === 'https:');
  return new Promise<Response>((resolve, reject) => {
    const headers: Record<string, string> = {};
    const given = init.headers as Record<string, string> | { forEach(f: (v: string, k: string) => void): void } | undefined;
    if (given && typeof given.forEach === 'function') (given as { forEach(f: (v: string, k: string) => void): void }).forEach((value, key) => (headers[key.toLowerCase()] = value));
    else for (const [key, value] of Object.entries((given ?? {}) as Record<string, string>)) headers[key.toLowerCase()] = value;
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 502;
        const bodyless = init.method === 'HEAD' || status === 204 || status === 304;
        resolve(new BufferedResponse(status, res.statusMessage ?? '', res.headers, bodyless ? Buffer.alloc(0) : Buffer.concat(chunks)) as unknown as Response);
      });
    });
    // An abort rejects with the signal's reason, as fetch does (a TimeoutError from the time bound).
    const abort = () => {
      reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
      req.destroy();
    };
    signal?.addEventListener('abort', abort, { once: true });
    req.on('close', () => signal?.removeEventListener('abort', abort));
    req.on('error', (err) => reject(Object.assign(new TypeError('fetch failed'), { cause: err })));
    const body = init.body as unknown;
    if (body === undefined || body === null) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) req.end(body);
    else {
      const stream = typeof (body as Readable).pipe === 'function' ? (body as Readable) : Readable.fromWeb(body as import('node:stream/web').ReadableStream);
      stream.on('error', (err) => req.destroy(err)).pipe(req);
    }
  });
};

/** What the registry client reads of a fetch Response, over a buffered body. */
class BufferedResponse {
  readonly ok: boolean;
  readonly body = null;
  readonly headers: { get(name: string): string | null; has(name: string): boolean; forEach(f: (value: string, key: string) => void): void };

  constructor(
    readonly status: number,
    readonly statusText: string,
    raw: IncomingMessage['headers'],
    private readonly bytes: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    // Node lower-cases names; repeated headers join with ", " as fetch's Headers does.
    const values = new Map(Object.entries(raw).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
    this.headers = {
      get: (name) => values.get(name.toLowerCase()) ?? null,
      has: (name) => values.has(name.toLowerCase()),
      forEach: (f) => values.forEach((value, key) => f(value, key)),
    };
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes.buffer.slice(this.bytes.byteOffset, this.bytes.byteOffset + this.bytes.length) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return this.bytes.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString('utf8'));
  }

  clone(): BufferedResponse {
    return this;
  }
}
