// The registry client's transport: fetch's interface over node:http/https. Node 20's fetch keeps
// the process alive ~80 ms after the last response (its connection pool's timers), on every
// run; node:http's keep-alive agent unrefs idle sockets, so the process exits as soon as the
// result is written. Responses are buffered (manifests, configs and small JSON documents).
import type { Agent, IncomingMessage, request as HttpRequest } from 'node:http';
import { Readable } from 'node:stream';

type Transport = { request: typeof HttpRequest; agent: Agent };
const transports = new Map<string, Promise<Transport>>();

/** node:http or node:https with a keep-alive agent, loaded on the first request (render never needs them). */
function transport(secure: boolean): Promise<Transport> {
  const key = secure ? 'https' : 'http';
  let t = transports.get(key);
  if (!t) {
    t = (secure ? import('node:https') : import('node:http')).then((m) => ({ request: m.request as typeof HttpRequest, agent: new m.Agent({ keepAlive: true }) }));
    transports.set(key, t);
  }
  return t;
}

export const nodeFetch: typeof fetch = async (input, init = {}) => {
  const url = new URL(String(input));
  const { request, agent } = await transport(url.protocol === 'https:');
  return new Promise<Response>((resolve, reject) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
        }
        const status = res.statusCode ?? 502;
        const bodyless = init.method === 'HEAD' || status === 204 || status === 304;
        resolve(new Response(bodyless ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
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
