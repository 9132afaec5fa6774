// `--kubelet docker`: each pod gets a sandbox container (busybox, network "none") whose network
// namespace its containers join, as a pod's pause container does; containers run from the
// registry image with the pod's command, args, env and working dir; probes run inside the pod's
// network namespace; output goes to pods/log. Every container carries kubesim.dev/instance, so
// stopping kubesim removes exactly its own.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import type { LogStore } from '../logs.js';
import type { Obj } from '../store.js';
import type { Cluster } from './cluster.js';
import type { RealRuntime } from './container-runtime.js';

const SANDBOX_IMAGE = 'busybox:stable';

export interface ExecSession {
  stdout: NodeJS.ReadableStream;
  stderr: NodeJS.ReadableStream;
  write(data: Buffer): void;
  closeStdin(): void;
  resize(width: number, height: number): void;
  exitCode(): Promise<number>;
  /** Settles when the command's output ended. */
  done: Promise<void>;
}
const safe = (s: string) => s.replace(/[^a-zA-Z0-9_.-]/g, '-');

export class DockerRuntime implements RealRuntime {
  readonly instance = randomBytes(6).toString('hex');
  private readonly docker = new Docker();
  private readonly sandboxes = new Map<string, Promise<string>>();
  private readonly containers = new Map<string, string>();
  /** Pods deleted while a start may still be in flight: whatever that start creates goes too. */
  private readonly gone = new Set<string>();

  constructor(
    private readonly cluster: Cluster,
    private readonly logs: LogStore,
  ) {}

  private labels(pod: Obj, container: string): Record<string, string> {
    return { 'kubesim.dev/instance': this.instance, 'kubesim.dev/pod-uid': pod.metadata.uid, 'kubesim.dev/pod': `${pod.metadata.namespace}/${pod.metadata.name}`, 'kubesim.dev/container': container };
  }

  private sandbox(pod: Obj): Promise<string> {
    let id = this.sandboxes.get(pod.metadata.uid);
    if (!id) {
      id = (async () => {
        const c = await this.docker.createContainer({
          name: safe(`kubesim-${this.instance}-${pod.metadata.namespace}-${pod.metadata.name}-sandbox`),
          Image: SANDBOX_IMAGE,
          Cmd: ['sleep', '2147483647'],
          Labels: this.labels(pod, 'sandbox'),
          HostConfig: { NetworkMode: 'none' },
        });
        if (this.gone.has(pod.metadata.uid)) {
          await c.remove({ force: true }).catch(() => undefined);
          throw new Error('pod deleted');
        }
        await c.start();
        return c.id;
      })();
      this.sandboxes.set(pod.metadata.uid, id);
    }
    return id;
  }

  private async pull(image: string): Promise<void> {
    const present = await this.docker.getImage(image).inspect().then(() => true, () => false);
    if (present) return;
    const stream = await this.docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      this.docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
        const failed = events?.find((e) => e.error);
        if (err || failed) reject(new Error(err?.message ?? failed!.error));
        else resolve();
      }),
    );
  }

  /** Env as the kubelet resolves it: values, ConfigMap and Secret keys, envFrom. */
  private env(pod: Obj, c: Obj): string[] {
    const ns = pod.metadata.namespace;
    const out: string[] = [];
    const decode = (kind: string, o: Obj | undefined, key: string) => (kind === 'Secret' ? Buffer.from(o?.data?.[key] ?? '', 'base64').toString('utf8') : o?.data?.[key] ?? '');
    for (const from of (c.envFrom ?? []) as Obj[]) {
      const [kind, ref] = from.configMapRef ? ['ConfigMap', from.configMapRef] : ['Secret', from.secretRef];
      const o = this.cluster.get(kind, ns, ref.name);
      for (const key of Object.keys(o?.data ?? {})) out.push(`${from.prefix ?? ''}${key}=${decode(kind, o, key)}`);
    }
    for (const e of (c.env ?? []) as Obj[]) {
      if (e.value !== undefined) out.push(`${e.name}=${e.value}`);
      else if (e.valueFrom?.configMapKeyRef) out.push(`${e.name}=${decode('ConfigMap', this.cluster.get('ConfigMap', ns, e.valueFrom.configMapKeyRef.name), e.valueFrom.configMapKeyRef.key)}`);
      else if (e.valueFrom?.secretKeyRef) out.push(`${e.name}=${decode('Secret', this.cluster.get('Secret', ns, e.valueFrom.secretKeyRef.name), e.valueFrom.secretKeyRef.key)}`);
    }
    return out;
  }

  async start(pod: Obj, c: Obj, restart: number, onExit: (code: number) => void): Promise<void> {
    if (this.gone.has(pod.metadata.uid)) throw new Error('pod deleted');
    const sandbox = await this.sandbox(pod);
    await this.pull(c.image);
    const key = `${pod.metadata.uid}/${c.name}`;
    const previous = this.containers.get(key);
    if (previous) await this.docker.getContainer(previous).remove({ force: true }).catch(() => undefined);
    const container = await this.docker.createContainer({
      name: safe(`kubesim-${this.instance}-${pod.metadata.namespace}-${pod.metadata.name}-${c.name}-${restart}`),
      Image: c.image,
      ...(c.command ? { Entrypoint: c.command } : {}),
      ...(c.args ? { Cmd: c.args } : {}),
      Env: this.env(pod, c),
      ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
      Labels: this.labels(pod, c.name),
      HostConfig: { NetworkMode: `container:${sandbox}` },
    });
    if (this.gone.has(pod.metadata.uid)) {
      await container.remove({ force: true }).catch(() => undefined);
      throw new Error('pod deleted');
    }
    this.containers.set(key, container.id);
    // Attach before starting, so that no early output is lost.
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough();
    this.docker.modem.demuxStream(stream, out, out);
    let partial = '';
    out.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop()!;
      if (lines.length) this.logs.append(pod.metadata.namespace, pod.metadata.name, c.name, lines);
    });
    stream.on('end', () => {
      if (partial) this.logs.append(pod.metadata.namespace, pod.metadata.name, c.name, [partial]);
    });
    await container.start();
    container.wait().then(
      (r: { StatusCode: number }) => setTimeout(() => onExit(r.StatusCode), 50), // let the last output land first
      () => onExit(137),
    );
  }

  /** Runs a command in a running container (pods/exec): its stream, resize and exit code. */
  async exec(pod: Obj, container: string, options: { command: string[]; stdin: boolean; tty: boolean }): Promise<ExecSession | undefined> {
    const id = this.containers.get(`${pod.metadata.uid}/${container}`);
    if (!id) return undefined;
    const exec = await this.docker.getContainer(id).exec({ Cmd: options.command, AttachStdin: options.stdin, AttachStdout: true, AttachStderr: true, Tty: options.tty });
    const stream = await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    if (options.tty) stream.pipe(stdout);
    else this.docker.modem.demuxStream(stream, stdout, stderr);
    stream.on('end', () => {
      stdout.end();
      stderr.end();
    });
    return {
      stdout,
      stderr,
      write: (data) => stream.write(data),
      closeStdin: () => (stream as unknown as { end(): void }).end(),
      resize: (width, height) => void exec.resize({ w: width, h: height }).catch(() => undefined),
      exitCode: () => exec.inspect().then((r) => r.ExitCode ?? 0),
      done: new Promise((resolve) => stream.on('end', () => resolve())),
    };
  }

  async kill(pod: Obj, c: Obj): Promise<void> {
    const id = this.containers.get(`${pod.metadata.uid}/${c.name}`);
    if (id) await this.docker.getContainer(id).kill().catch(() => undefined);
  }

  async probe(pod: Obj, c: Obj, which: 'readinessProbe' | 'livenessProbe'): Promise<boolean> {
    const probe = c[which] as Obj;
    const port = (p: unknown) => (typeof p === 'number' ? p : ((c.ports ?? []) as Obj[]).find((x) => x.name === p)?.containerPort ?? p);
    let target = this.containers.get(`${pod.metadata.uid}/${c.name}`);
    let cmd: string[];
    if (probe.exec) cmd = probe.exec.command;
    else {
      target = await this.sandbox(pod);
      const timeout = String(probe.timeoutSeconds ?? 1);
      // busybox's static wget crashes resolving addresses; nc speaks enough HTTP. Success is
      // 200 <= status < 400, as for the kubelet. Arguments go through $0.. to stay unquoted.
      cmd = probe.httpGet
        ? ['sh', '-c', 'printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$0" | nc -w "$1" 127.0.0.1 "$2" | head -1 | grep -qE "^HTTP/1\.[01] [23][0-9][0-9]"', String(probe.httpGet.path ?? '/'), timeout, String(port(probe.httpGet.port))]
        : ['sh', '-c', 'nc -w "$0" 127.0.0.1 "$1" </dev/null', timeout, String(port(probe.tcpSocket?.port))];
    }
    if (!target) return false;
    try {
      const exec = await this.docker.getContainer(target).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      await new Promise((resolve) => {
        stream.on('end', resolve);
        stream.on('error', resolve);
        stream.resume();
      });
      return (await exec.inspect()).ExitCode === 0;
    } catch {
      return false;
    }
  }

  collect(live: Set<string>): void {
    const known = new Set([...this.sandboxes.keys(), ...[...this.containers.keys()].map((k) => k.split('/')[0]!)]);
    for (const uid of known) {
      if (live.has(uid)) continue;
      this.gone.add(uid);
      this.sandboxes.delete(uid);
      for (const [key, id] of [...this.containers]) {
        if (!key.startsWith(`${uid}/`)) continue;
        this.containers.delete(key);
        void this.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
      }
      void this.docker
        .listContainers({ all: true, filters: { label: [`kubesim.dev/pod-uid=${uid}`, `kubesim.dev/instance=${this.instance}`] } })
        .then((list) => Promise.all(list.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined))));
    }
  }

  /** Removes every container this kubesim started, and nothing else. */
  async stopAll(): Promise<void> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [`kubesim.dev/instance=${this.instance}`] } });
    await Promise.all(list.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  }
}
