// A BuildKit session with the Docker engine, as the Docker CLI opens one for a local context:
// `POST /session` upgraded to HTTP/2, on which the engine is the gRPC client and we serve file
// sync (the build context) and health checks. A context sent as a tar instead is unpacked by the
// engine in a separate process (~120 ms a build on dockerd 20.10); over the session the engine
// writes the files itself. Only for engines node:http reaches (a socket or plain TCP).
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { TarEntry } from '../core/tar.js';
import { decodePacket, FileSender, selectEntries, type SyncRequest } from './filesync.js';
import { loadExternal } from './load-external.js';

type Endpoint = { socketPath: string } | { host: string; port: number };

const DIFF_COPY = '/moby.filesync.v1.FileSync/DiffCopy';
const HEALTH = '/grpc.health.v1.Health/Check';
/** HealthCheckResponse { status: SERVING }: the engine closes a session whose check fails. */
const SERVING = Buffer.from([0x08, 0x01]);
const GRPC = { OK: 0, UNKNOWN: 2, NOT_FOUND: 5, UNIMPLEMENTED: 12 };
const UPGRADE_TIMEOUT_MS = 10_000;

export interface BuildSession {
  id: string;
  /** Ends the session (the engine's calls on it end too). */
  close(): void;
}

/**
 * Opens a session that serves `entries` (the context, the Dockerfile among them) under both names
 * the Dockerfile frontend asks for, `context` and `dockerfile`. Null when the engine does not
 * upgrade the connection (the caller sends a tar instead).
 */
export async function openBuildSession(endpoint: Endpoint, entries: readonly TarEntry[], key: string, signal?: AbortSignal): Promise<BuildSession | null> {
  const [{ request }, http2] = await Promise.all([loadExternal<typeof import('node:http')>('node:http'), loadExternal<typeof import('node:http2')>('node:http2')]);
  const id = randomUUID();
  const socket = await new Promise<Socket | null>((resolve) => {
    const req = request({
      ...endpoint,
      agent: false,
      method: 'POST',
      path: '/session',
      signal,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'h2c',
        'X-Docker-Expose-Session-Uuid': id,
        'X-Docker-Expose-Session-Name': 'slipway',
        // The engine keeps each synced directory under this key and asks only for what changed
        // the next time: a key per content, so a kept copy always holds the same files.
        'X-Docker-Expose-Session-Sharedkey': key,
        'X-Docker-Expose-Session-Grpc-Method': [DIFF_COPY, HEALTH],
      },
    });
    // An engine that never answers the upgrade gets the tar instead (the timer holds nothing).
    const timer = setTimeout(() => {
      req.destroy();
      resolve(null);
    }, UPGRADE_TIMEOUT_MS).unref();
    req.on('upgrade', (_res, upgraded: Socket, head: Buffer) => {
      clearTimeout(timer);
      if (head.length) upgraded.unshift(head);
      resolve(upgraded);
    });
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(null);
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    req.end();
  });
  if (!socket) return null;
  serveSession(http2, socket, entries);
  return { id, close: () => socket.destroy() };
}

/** Serves file sync and health checks as gRPC over HTTP/2 on a connection the engine opened. */
export function serveSession(http2: typeof import('node:http2'), socket: Socket, entries: readonly TarEntry[]): void {
  const server = http2.createServer();
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => serve(stream, String(headers[':path']), metadata(rawHeaders), entries));
  server.on('sessionError', () => socket.destroy());
  socket.on('error', () => socket.destroy());
  server.emit('connection', socket);
}

/**
 * Every value of each gRPC metadata key, repeated keys kept apart (patterns may hold commas).
 * Newer engines query-escape values that are not ASCII and say so in `<key>-encoded`.
 */
export function metadata(raw: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    out.set(name, [...(out.get(name) ?? []), raw[i + 1]!]);
  }
  for (const [name, values] of out) {
    const flag = out.get(`${name}-encoded`)?.[0];
    if (flag && /^(1|t|true)$/i.test(flag)) out.set(name, values.map(queryUnescape));
  }
  return out;
}

/** Go's url.QueryUnescape: `+` is a space; a malformed escape leaves the value as it was sent. */
function queryUnescape(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

/** One gRPC call: length-prefixed messages both ways, the status in the trailers. */
function serve(stream: ServerHttp2Stream, path: string, meta: Map<string, string[]>, entries: readonly TarEntry[]): void {
  let status = GRPC.OK;
  let message = '';
  stream.on('error', () => undefined);
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(status), ...(message ? { 'grpc-message': encodeURIComponent(message) } : {}) }));
  const end = (code: number, text = '') => {
    if (stream.writableEnded) return;
    status = code;
    message = text;
    stream.end();
  };
  const write = (payload: Buffer) => {
    const frame = Buffer.alloc(5 + payload.length);
    frame.writeUInt32BE(payload.length, 1);
    payload.copy(frame, 5);
    stream.write(frame);
  };
  const onMessage = messages(stream, () => end(GRPC.UNIMPLEMENTED, 'compressed messages are not accepted'));

  if (path === HEALTH) {
    onMessage(() => {
      write(SERVING);
      end(GRPC.OK);
    });
    return;
  }
  if (path !== DIFF_COPY) return end(GRPC.UNIMPLEMENTED, `unknown method ${path}`);
  const dir = meta.get('dir-name')?.[0] ?? '';
  if (dir !== 'context' && dir !== 'dockerfile') return end(GRPC.NOT_FOUND, `no access allowed to dir "${dir}"`);
  const request: SyncRequest = {
    includePatterns: meta.get('include-patterns') ?? [],
    excludePatterns: meta.get('exclude-patterns') ?? [],
    followPaths: meta.get('followpaths') ?? [],
  };
  const sender = new FileSender(selectEntries(entries, request), write);
  sender.start();
  onMessage((payload) => {
    try {
      if (sender.receive(decodePacket(payload))) end(GRPC.OK);
    } catch (err) {
      end(GRPC.UNKNOWN, (err as Error).message);
    }
  });
  stream.on('end', () => end(GRPC.OK));
}

/**
 * Splits the request body into gRPC messages (1 byte flag, 4 bytes length, the message). We
 * announce no compression, so a compressed message (flag 1) ends the call.
 */
function messages(stream: ServerHttp2Stream, onCompressed: () => void): (handler: (payload: Buffer) => void) => void {
  let pending: Buffer = Buffer.alloc(0);
  let handler: (payload: Buffer) => void = () => undefined;
  stream.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 5) {
      if (pending[0] !== 0) return onCompressed();
      const length = pending.readUInt32BE(1);
      if (pending.length < 5 + length) break;
      const payload = pending.subarray(5, 5 + length);
      pending = pending.subarray(5 + length);
      handler(payload);
    }
  });
  return (h) => {
    handler = h;
  };
}
