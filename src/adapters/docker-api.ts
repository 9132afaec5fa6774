// The few Docker engine API calls a build makes (build, inspect, save, remove, list networks),
// spoken over node:http to the engine's socket or plain TCP. dockerode, which also brings SSH,
// TLS and a gRPC BuildKit session (that slipway gives no credentials through), costs ~230 ms to
// load, on the critical path of every cold build; it is loaded only for ssh://, npipe:// and
// TLS engines.
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';
import type { TarEntry } from '../core/tar.js';
import { openBuildSession, type BuildSession } from './buildkit-session.js';
import { loadExternal } from './load-external.js';

export interface EngineApi {
  /** POST /build: the response streams JSON lines. Objects in `options` are sent as JSON. */
  build(context: Buffer, options: Record<string, unknown>, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  inspectImage(name: string): Promise<{ Id: string; RootFS?: { Layers?: string[] } }>;
  /** GET /images/{name}/get: a `docker save` archive. */
  saveImage(name: string): Promise<NodeJS.ReadableStream>;
  removeImage(name: string, options: { noprune: boolean }): Promise<void>;
  listNetworks(filters: Record<string, string[]>): Promise<{ Name: string }[]>;
  /** A BuildKit session serving these context entries (null: send the context as a tar). */
  openSession?(entries: readonly TarEntry[], key: string, signal?: AbortSignal): Promise<BuildSession | null>;
}

type Endpoint = { socketPath: string } | { host: string; port: number };

/** Where DOCKER_HOST points when node:http reaches it as is: a socket or plain TCP, no TLS. */
export function plainEndpoint(env: NodeJS.ProcessEnv): Endpoint | null {
  const host = env.DOCKER_HOST;
  if (!host) return process.platform === 'win32' ? null : { socketPath: '/var/run/docker.sock' };
  if (env.DOCKER_TLS_VERIFY || env.DOCKER_CERT_PATH) return null;
  const unix = /^unix:\/\/(\/.+)$/.exec(host);
  if (unix) return { socketPath: unix[1]! };
  // Port 2376 is TLS by convention (dockerode switches to https for it).
  const tcp = /^(?:tcp|http):\/\/([^/:[\]]+|\[[0-9a-fA-F:.]+\]):(\d+)\/?$/.exec(host);
  if (tcp && tcp[2] !== '2376') return { host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2]) };
  return null;
}

/** Query parameters as dockerode writes them: objects as JSON, the rest as text. */
function query(options: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    params.set(key, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export class HttpEngineApi implements EngineApi {
  constructor(private readonly endpoint: Endpoint) {}

  async build(context: Buffer, options: Record<string, unknown>, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    return this.request('POST', `/build${query(options)}`, context, signal);
  }

  async inspectImage(name: string): Promise<{ Id: string; RootFS?: { Layers?: string[] } }> {
    return JSON.parse(await text(await this.request('GET', `/images/${name}/json`))) as { Id: string; RootFS?: { Layers?: string[] } };
  }

  async saveImage(name: string): Promise<NodeJS.ReadableStream> {
    return this.request('GET', `/images/${name}/get`);
  }

  async removeImage(name: string, options: { noprune: boolean }): Promise<void> {
    (await this.request('DELETE', `/images/${name}${query(options)}`)).resume();
  }

  async listNetworks(filters: Record<string, string[]>): Promise<{ Name: string }[]> {
    return JSON.parse(await text(await this.request('GET', `/networks${query({ filters })}`))) as { Name: string }[];
  }

  openSession(entries: readonly TarEntry[], key: string, signal?: AbortSignal): Promise<BuildSession | null> {
    return openBuildSession(this.endpoint, entries, key, signal);
  }

  private async request(method: string, path: string, body?: Buffer, signal?: AbortSignal): Promise<IncomingMessage> {
    const { request } = await loadExternal<typeof import('node:http')>('node:http');
    return new Promise((resolve, reject) => {
      const headers = body ? { 'Content-Type': 'application/x-tar', 'Content-Length': String(body.length) } : undefined;
      const req = request({ ...this.endpoint, method, path, headers, signal }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(res);
        void text(res).then((reply) => {
          let message = reply.trim();
          try {
            message = (JSON.parse(reply) as { message?: string }).message ?? message;
          } catch {
            // not JSON: the text as it came
          }
          reject(Object.assign(new Error(`(HTTP code ${status}) ${message}`), { statusCode: status }));
        }, reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The engine's progress stream: one JSON object per line, handed over as each line completes. */
export function readJsonLines<T>(stream: NodeJS.ReadableStream, onEvent: (event: T) => void): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const events: T[] = [];
    let pending = '';
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(events);
    };
    const take = (line: string) => {
      const trimmed = line.replace(/\r$/, '');
      if (!trimmed) return;
      const event = JSON.parse(trimmed) as T;
      events.push(event);
      onEvent(event);
    };
    const decoder = new StringDecoder('utf8'); // a character split between chunks stays whole
    stream.on('data', (chunk: Buffer | string) => {
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let nl: number;
      try {
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          take(line);
        }
      } catch (err) {
        finish(new Error(`the engine sent a progress line that is not JSON: ${(err as Error).message}`));
      }
    });
    stream.on('error', (err: Error) => finish(err));
    stream.on('end', () => {
      try {
        take(pending);
        finish();
      } catch (err) {
        finish(err as Error);
      }
    });
    stream.on('close', () => finish());
  });
}

function text(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The same calls through dockerode, for engines behind SSH, TLS or a Windows named pipe. */
export class DockerodeEngineApi implements EngineApi {
  constructor(private readonly docker: Dockerode) {}

  build(context: Buffer, options: Record<string, unknown>, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    return this.docker.buildImage(Readable.from([context]) as unknown as NodeJS.ReadableStream, { ...options, abortSignal: signal } as Dockerode.ImageBuildOptions);
  }

  inspectImage(name: string): Promise<{ Id: string; RootFS?: { Layers?: string[] } }> {
    return this.docker.getImage(name).inspect();
  }

  saveImage(name: string): Promise<NodeJS.ReadableStream> {
    return this.docker.getImage(name).get();
  }

  async removeImage(name: string, options: { noprune: boolean }): Promise<void> {
    await this.docker.getImage(name).remove(options);
  }

  listNetworks(filters: Record<string, string[]>): Promise<{ Name: string }[]> {
    return this.docker.listNetworks({ filters });
  }
}
