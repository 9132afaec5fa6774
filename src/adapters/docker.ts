// ImageEngine over dockerode: BuildKit builds from a tar stream, pushes with Docker config
// credentials. dockerode reports success for failed builds and pushes (the error arrives inside
// the stream), so every event is checked. Nothing connects until a build is needed.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { EnvironmentError, InterruptedError, WorkFailedError } from '../errors.js';
import { TraceLines } from './buildkit-trace.js';
import type { BuildRequest, ImageEngine, LocalImage } from '../ports/index.js';
import type { Credentials } from './registry/credentials.js';
import { formatReference, repositoryName } from '../core/image-ref.js';

interface ProgressEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Digest?: string; Tag?: string } | string;
}

const TRANSIENT_PUSH = /unexpected HTTP status: 5\d\d|50[0-4] |connection reset|broken pipe|\bEOF\b|timeout/i;

export class DockerEngine implements ImageEngine {
  private client?: Promise<Dockerode>;
  private network?: Promise<string | undefined>;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly credentials: { get(registry: string): Promise<Credentials | null> },
  ) {}

  /** Where the engine is, for messages: DOCKER_HOST or the default socket. */
  get endpoint(): string {
    return this.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  }

  async build(request: BuildRequest, log: (line: string) => void, signal?: AbortSignal): Promise<LocalImage> {
    const docker = await this.docker();
    const networkmode = await this.buildNetwork(docker);
    // Built under a tag of this run only; `ref` is tagged just before the push.
    const localTag = `${repositoryName(request.ref)}:${request.ref.tag ?? 'latest'}-build-${randomBytes(4).toString('hex')}`;
    const stream = await this.call(() =>
      docker.buildImage(Readable.from([request.context]) as unknown as NodeJS.ReadableStream, {
        t: localTag,
        dockerfile: request.dockerfile,
        buildargs: request.buildArgs,
        target: request.target ?? '',
        platform: request.platform,
        labels: request.labels,
        version: '2',
        rm: true,
        forcerm: true,
        ...(networkmode ? { networkmode } : {}),
        abortSignal: signal,
      } as Dockerode.ImageBuildOptions),
    );
    const events = await this.follow(docker, stream, log, signal);
    const failure = events.find((e) => e.error || e.errorDetail);
    if (failure) throw new WorkFailedError(`build failed: ${failure.errorDetail?.message ?? failure.error}`);
    const inspect = await this.call(() => docker.getImage(localTag).inspect());
    return { ref: request.ref, id: inspect.Id, localTag };
  }

  async push(image: LocalImage, log: (line: string) => void, signal?: AbortSignal): Promise<string | null> {
    const docker = await this.docker();
    const { registry, tag } = image.ref;
    const credentials = await this.credentials.get(registry);
    const authconfig = credentials
      ? credentials.identityToken
        ? { identitytoken: credentials.identityToken, serveraddress: registry }
        : { username: credentials.username, password: credentials.password, serveraddress: registry }
      : { serveraddress: registry };
    const name = repositoryName(image.ref);
    // Tag the image id this run built: another run's tag of the same ref is the same content.
    await this.call(() => docker.getImage(image.id).tag({ repo: name, tag }));
    try {
      return await this.pushTagged(docker, image, name, tag, authconfig, registry, log, signal);
    } finally {
      await this.discard(image);
    }
  }

  private async pushTagged(
    docker: Dockerode,
    image: LocalImage,
    name: string,
    tag: string | undefined,
    authconfig: object,
    registry: string,
    log: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<string | null> {
    let events: ProgressEvent[] = [];
    let failure: ProgressEvent | undefined;
    // A registry under concurrent pushes of the same blobs can answer 5xx; pushes are idempotent.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 500 * attempt));
      const stream = await this.call(() => docker.getImage(name).push({ tag, authconfig, abortSignal: signal } as never) as unknown as Promise<NodeJS.ReadableStream>);
      events = await this.follow(docker, stream, log, signal);
      failure = events.find((e) => e.error || e.errorDetail);
      if (!failure || !TRANSIENT_PUSH.test(failure.errorDetail?.message ?? failure.error ?? '')) break;
      log(`retrying the push (attempt ${attempt + 2} of 3)`);
    }
    if (failure) {
      const message = failure.errorDetail?.message ?? failure.error ?? 'push failed';
      if (/unauthorized|authentication required|denied|401|403/i.test(message)) {
        throw new EnvironmentError(`push to ${registry} refused: ${message}`, { hint: `log in: docker login ${registry}` });
      }
      throw new EnvironmentError(`push of ${formatReference(image.ref)} failed: ${message}`, { hint: `check that ${registry} is up and accepts pushes` });
    }
    return events.map((e) => (typeof e.aux === 'object' ? e.aux.Digest : undefined)).find(Boolean) ?? null;
  }

  async discard(image: LocalImage): Promise<void> {
    if (!image.localTag) return;
    const docker = await this.docker();
    // Only this run's tag: the image stays while `ref` (or another run's tag) names it.
    await docker
      .getImage(image.localTag)
      .remove({ noprune: true })
      .catch(() => undefined);
  }

  private docker(): Promise<Dockerode> {
    const host = this.env.DOCKER_HOST;
    if (host && !/^(unix|tcp|http|https|npipe|ssh):\/\/\S+$/.test(host)) {
      return Promise.reject(
        new EnvironmentError(`DOCKER_HOST="${host}" is not an engine address`, {
          hint: 'use unix:///path/to/docker.sock, tcp://host:2375 or ssh://user@host, or unset DOCKER_HOST for the default socket',
        }),
      );
    }
    this.client ??= import('dockerode').then(({ default: Docker }) => new Docker());
    return this.client;
  }

  /** The daemon's default build network may not exist (dockerd --bridge=none): build without one. */
  private buildNetwork(docker: Dockerode): Promise<string | undefined> {
    this.network ??= this.call(() => docker.listNetworks({ filters: { name: ['bridge'] } })).then((nets) =>
      nets.some((n) => n.Name === 'bridge') ? undefined : 'none',
    );
    return this.network;
  }

  private follow(docker: Dockerode, stream: NodeJS.ReadableStream, log: (line: string) => void, signal?: AbortSignal): Promise<ProgressEvent[]> {
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
      // The modem's raw events: dockerode's own BuildKit formatting prints log bytes as base64.
      (docker.modem as unknown as { followProgress(s: NodeJS.ReadableStream, f: typeof done, p: typeof onProgress): void }).followProgress(stream, done, onProgress);
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
