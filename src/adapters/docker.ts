// ImageEngine over dockerode: BuildKit builds from a tar stream; images leave the engine through
// `docker save` (slipway normalises and pushes them itself). dockerode reports success for failed
// builds (the error arrives inside the stream), so every event is checked. Nothing connects until
// a build is needed.
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { EnvironmentError, InterruptedError, WorkFailedError } from '../errors.js';
import { TraceLines } from './buildkit-trace.js';
import { DockerodeEngineApi, HttpEngineApi, plainEndpoint, readJsonLines, type EngineApi } from './docker-api.js';
import type { BuildSession } from './buildkit-session.js';
import { loadExternal } from './load-external.js';
import type { BuildRequest, EngineImage, ImageEngine, LocalImage } from '../ports/index.js';
import { repositoryName } from '../core/image-ref.js';

interface ProgressEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Digest?: string; Tag?: string } | string;
}

export class DockerEngine implements ImageEngine {
  private client?: Promise<EngineApi>;
  private network?: Promise<string | undefined>;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Where the engine is, for messages: DOCKER_HOST or the default socket. */
  get endpoint(): string {
    return this.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  }

  async build(request: BuildRequest, log: (line: string) => void, signal?: AbortSignal): Promise<LocalImage> {
    const docker = await this.docker();
    const networkmode = await this.buildNetwork(docker);
    // Built under a tag of this run only; `ref` is tagged just before the push.
    const localTag = `${repositoryName(request.ref)}:${request.ref.tag ?? 'latest'}-build-${randomBytes(4).toString('hex')}`;
    // The context over a BuildKit session when the engine takes one, else as a tar
    // (SLIPWAY_BUILD_SESSION=0: always the tar, for a proxy in front of the engine that breaks upgrades).
    const session = request.session && docker.openSession && this.env.SLIPWAY_BUILD_SESSION !== '0' ? await docker.openSession(request.session.entries, request.session.key, signal) : null;
    try {
      return await this.buildWith(docker, request, localTag, networkmode, session, log, signal);
    } finally {
      session?.close();
    }
  }

  private async buildWith(docker: EngineApi, request: BuildRequest, localTag: string, networkmode: string | undefined, session: BuildSession | null, log: (line: string) => void, signal?: AbortSignal): Promise<LocalImage> {
    const stream = await this.call(() =>
      docker.build(session ? Buffer.alloc(0) : request.context, {
        t: localTag,
        dockerfile: request.dockerfile,
        buildargs: request.buildArgs,
        target: request.target ?? '',
        platform: request.platform,
        labels: request.labels,
        version: '2',
        rm: true,
        forcerm: true,
        ...(request.noCache ? { nocache: true } : {}),
        ...(networkmode ? { networkmode } : {}),
        ...(session ? { remote: 'client-session', session: session.id } : {}),
      }, signal),
    );
    const events = await this.follow(stream, log, signal);
    const failure = events.find((e) => e.error || e.errorDetail);
    if (failure) throw new WorkFailedError(`build failed: ${failure.errorDetail?.message ?? failure.error}`);
    const inspect = await this.call(() => docker.inspectImage(localTag));
    return { ref: request.ref, id: inspect.Id, localTag };
  }

  async save(image: LocalImage, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    const docker = await this.docker();
    if (signal?.aborted) throw new InterruptedError('interrupted');
    return this.call(() => docker.saveImage(image.id));
  }

  async inspect(ref: string): Promise<EngineImage | null> {
    const docker = await this.docker();
    try {
      const info = await docker.inspectImage(ref);
      return { diffIds: info.RootFS?.Layers ?? [] };
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null;
      throw this.translate(err as Error);
    }
  }

  async discard(image: LocalImage): Promise<void> {
    if (!image.localTag) return;
    const docker = await this.docker();
    // Only this run's tag: the image stays while `ref` (or another run's tag) names it.
    await docker.removeImage(image.localTag, { noprune: true }).catch(() => undefined);
  }

  private docker(): Promise<EngineApi> {
    const host = this.env.DOCKER_HOST;
    if (host && !/^(unix|tcp|http|https|npipe|ssh):\/\/\S+$/.test(host)) {
      return Promise.reject(
        new EnvironmentError(`DOCKER_HOST="${host}" is not an engine address`, {
          hint: 'use unix:///path/to/docker.sock, tcp://host:2375 or ssh://user@host, or unset DOCKER_HOST for the default socket',
        }),
      );
    }
    const plain = plainEndpoint(this.env);
    this.client ??= plain
      ? Promise.resolve(new HttpEngineApi(plain))
      : loadExternal<{ default: typeof Dockerode }>('dockerode').then(({ default: Docker }) => new DockerodeEngineApi(new Docker()));
    return this.client;
  }

  /** The daemon's default build network may not exist (dockerd --bridge=none): build without one. */
  private buildNetwork(docker: EngineApi): Promise<string | undefined> {
    this.network ??= this.call(() => docker.listNetworks({ name: ['bridge'] })).then((nets) =>
      nets.some((n) => n.Name === 'bridge') ? undefined : 'none',
    );
    return this.network;
  }

  private follow(stream: NodeJS.ReadableStream, log: (line: string) => void, signal?: AbortSignal): Promise<ProgressEvent[]> {
    const trace = new TraceLines(log);
    return new Promise((resolve, reject) => {
      const onProgress = (e: ProgressEvent) => {
        if (e.id === 'moby.buildkit.trace') {
          // BuildKit's progress: protobuf in `aux`, decoded so the output reads as the build printed it.
          if (typeof e.aux === 'string') trace.push(e.aux);
          return;
        }
        const text = e.stream ?? (e.status ? `${e.id ? `${e.id}: ` : ''}${e.status}${e.progress ? ` ${e.progress}` : ''}` : undefined);
        if (text) for (const line of text.replace(/\n$/, '').split('\n')) log(line);
        if (e.error || e.errorDetail) log(`ERROR: ${e.errorDetail?.message ?? e.error}`);
      };
      const done = (err: Error | null, output: ProgressEvent[]) => {
        trace.flush();
        if (signal?.aborted) reject(new InterruptedError('interrupted'));
        else if (err) reject(this.translate(err));
        else resolve(output);
      };
      // The raw events: BuildKit's are decoded here (dockerode's own formatting prints log bytes as base64).
      readJsonLines<ProgressEvent>(stream, onProgress).then((output) => done(null, output), (err: Error) => done(err, []));
    });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(err as Error);
    }
  }

  private translate(err: Error): Error {
    const code = (err as NodeJS.ErrnoException).code;
    if (err.name === 'AbortError') return new InterruptedError('interrupted', { cause: err });
    if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ECONNRESET' || code === 'EHOSTUNREACH') {
      return new EnvironmentError(`Docker daemon unreachable at ${this.endpoint} (${code})`, {
        cause: err,
        hint: 'start Docker (npm run stack -- up starts one here), or point DOCKER_HOST at a running engine',
      });
    }
    return err;
  }
}
