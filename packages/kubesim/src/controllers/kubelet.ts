// The kubelet. Images are pulled once per node, checked against the real registry (a manifest
// GET) and honouring imagePullPolicy; status, events and logs are written like the real kubelet's;
// deleted pods have their containers stopped before they go. `--kubelet fake`: containers "run" on timers, and
// failures, crashes and readiness come from kubesim.dev/* annotations on the pod (template).
// `--kubelet docker`: a ContainerRuntime runs them for real and reports exits and probe results.
import type { LogStore } from '../logs.js';
import type { Obj } from '../store.js';
import { nowIso, type Cluster } from './cluster.js';
import { checkImage } from './image-check.js';
import type { ContainerRuntime, RealRuntime } from './container-runtime.js';
import { podStatus } from './pod-status.js';

export type { ContainerRuntime, RealRuntime } from './container-runtime.js';

const START_DELAY_MS = 150;
/** How long stopped containers take to exit on SIGTERM. */
const STOP_MS = 200;
export const MAX_BACKOFF_MS = 300_000;
const REFERENCE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

const podKey = (p: Obj) => p.metadata.uid as string;

export class Kubelet {
  private readonly pods = new Map<string, Map<string, ContainerRuntime>>();
  private readonly podIps = new Map<string, string>();
  /** Images each node has pulled (image -> its digest reference). */
  private readonly images = new Map<string, Map<string, string>>();
  /** Terminating pods: when their containers were told to stop. */
  private readonly stopping = new Map<string, number>();

  constructor(
    private readonly cluster: Cluster,
    private readonly logs: LogStore,
    private readonly backoffScale: number,
    private readonly real?: RealRuntime,
  ) {}

  tick(): void {
    const now = Date.now();
    const live = new Set<string>();
    for (const pod of this.cluster.list('Pod')) {
      if (pod.spec.nodeName && pod.metadata.deletionTimestamp) {
        this.terminate(pod, now);
        continue;
      }
      live.add(podKey(pod));
      if (!pod.spec.nodeName) continue;
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      this.sync(pod, now);
    }
    for (const uid of [...this.pods.keys()]) if (!live.has(uid) && !this.stopping.has(uid)) this.pods.delete(uid);
    // Containers of pods that are gone or terminating are stopped and removed (docker mode).
    this.real?.collect(live);
  }

  /**
   * A pod being deleted: its running containers are stopped (`Killing` events), then the kubelet
   * deletes it for good, as after its containers exit on SIGTERM.
   */
  private terminate(pod: Obj, now: number): void {
    const uid = podKey(pod);
    if (!this.stopping.has(uid)) {
      this.stopping.set(uid, now);
      for (const c of pod.spec.containers as Obj[]) {
        const rt = this.pods.get(uid)?.get(c.name);
        if (rt?.step === 'running') this.event(pod, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      }
      return;
    }
    // `kubesim.dev/stop-after` (seconds): how long the containers take to exit, within the grace period.
    const stopAfter = Number(this.annotation(pod, 'stop-after') ?? STOP_MS / 1000);
    const grace = Number(pod.metadata.deletionGracePeriodSeconds ?? 30);
    if (now - this.stopping.get(uid)! < Math.min(stopAfter, grace) * 1000) return;
    this.stopping.delete(uid);
    this.pods.delete(uid);
    this.cluster.removeNow('Pod', pod);
  }

  private sync(pod: Obj, now: number): void {
    let runtimes = this.pods.get(podKey(pod));
    if (!runtimes) {
      runtimes = new Map();
      this.pods.set(podKey(pod), runtimes);
    }
    for (const c of pod.spec.containers as Obj[]) {
      let rt = runtimes.get(c.name);
      if (!rt) {
        rt = { step: 'init', nextAt: now, restarts: 0, backoffMs: 10_000 * this.backoffScale };
        runtimes.set(c.name, rt);
      }
      this.advance(pod, c, rt, now);
    }
    this.writeStatus(pod, runtimes, now);
  }

  private source(pod: Obj) {
    return { component: 'kubelet', host: pod.spec.nodeName };
  }

  private event(pod: Obj, c: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.cluster.event(pod, type, reason, message, this.source(pod), `spec.containers{${c.name}}`);
  }

  private annotation(pod: Obj, name: string): string | undefined {
    return pod.metadata.annotations?.[`kubesim.dev/${name}`];
  }

  private advance(pod: Obj, c: Obj, rt: ContainerRuntime, now: number): void {
    switch (rt.step) {
      case 'init': {
        if (!REFERENCE.test(String(c.image ?? ''))) {
          rt.step = 'invalid';
          rt.waiting = { reason: 'InvalidImageName', message: `Failed to apply default image tag "${c.image}": couldn't parse image name "${c.image}": invalid reference format` };
          this.event(pod, c, 'Warning', 'InspectFailed', rt.waiting.message!);
          this.event(pod, c, 'Warning', 'Failed', 'Error: InvalidImageName');
          return;
        }
        const missing = this.missingConfig(pod, c);
        if (missing) {
          if (rt.waiting?.message !== missing) this.event(pod, c, 'Warning', 'Failed', `Error: ${missing}`);
          rt.step = 'config-error';
          rt.waiting = { reason: 'CreateContainerConfigError', message: missing };
          rt.nextAt = now + 1000;
          return;
        }
        const present = this.images.get(pod.spec.nodeName)?.get(String(c.image));
        const policy = c.imagePullPolicy ?? 'IfNotPresent';
        if (present && policy !== 'Always') {
          rt.imageId = present;
          this.event(pod, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
          rt.step = 'starting';
          rt.nextAt = now + START_DELAY_MS;
          return;
        }
        if (policy === 'Never') {
          rt.step = 'config-error';
          rt.nextAt = now + 1000;
          const message = `Container image "${c.image}" is not present with pull policy of Never`;
          if (rt.waiting?.reason !== 'ErrImageNeverPull') this.event(pod, c, 'Warning', 'ErrImageNeverPull', message);
          rt.waiting = { reason: 'ErrImageNeverPull', message };
          return;
        }
        this.startPull(pod, c, rt);
        return;
      }
      case 'config-error':
        if (now >= rt.nextAt) rt.step = 'init';
        return;
      case 'pulling':
        if (!rt.pullDone) return;
        if (rt.pullError) {
          rt.step = 'pull-failed';
          rt.waiting = { reason: 'ErrImagePull', message: rt.pullError };
          this.event(pod, c, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${rt.pullError}`);
          this.event(pod, c, 'Warning', 'Failed', 'Error: ErrImagePull');
          rt.nextAt = now + rt.backoffMs;
          return;
        }
        const took = `${Date.now() - (rt.pullStartedAt ?? Date.now())}ms`;
        this.event(pod, c, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${rt.pulledSize ?? 0} bytes.`);
        const onNode = this.images.get(pod.spec.nodeName) ?? new Map<string, string>();
        onNode.set(String(c.image), rt.imageId!);
        this.images.set(pod.spec.nodeName, onNode);
        rt.step = 'starting';
        rt.nextAt = now + START_DELAY_MS;
        return;
      case 'pull-failed':
        // The next sync shows the back-off; the pull is retried when it expires.
        rt.step = 'pull-backoff';
        rt.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` };
        this.event(pod, c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
        this.event(pod, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        return;
      case 'pull-backoff':
        if (now < rt.nextAt) return;
        rt.backoffMs = Math.min(rt.backoffMs * 2, MAX_BACKOFF_MS * this.backoffScale);
        this.startPull(pod, c, rt);
        return;
      case 'starting':
        if (now < rt.nextAt) return;
        if (this.real) this.startReal(pod, c, rt);
        else this.start(pod, c, rt, now);
        return;
      case 'running':
        if (rt.exitCode !== undefined || (rt.exitAt !== undefined && now >= rt.exitAt)) {
          this.exit(pod, c, rt, now);
          return;
        }
        if (this.real) {
          this.probeReal(pod, c, rt, now);
          this.livenessReal(pod, c, rt, now);
        }
        if (rt.readyAt === undefined && c.readinessProbe && now - (rt.lastUnhealthyAt ?? 0) >= 2000) {
          rt.lastUnhealthyAt = now;
          this.event(pod, c, 'Warning', 'Unhealthy', `Readiness probe failed: ${c.readinessProbe.httpGet ? `HTTP probe failed with statuscode: 503` : 'command exited with code 1'}`);
        }
        return;
      case 'crash-backoff':
        if (now < rt.nextAt) return;
        rt.step = 'starting';
        rt.nextAt = now;
        return;
      case 'invalid':
      case 'exited':
        return;
    }
  }

  private startPull(pod: Obj, c: Obj, rt: ContainerRuntime): void {
    rt.step = 'pulling';
    rt.pullDone = false;
    rt.pullError = null;
    this.event(pod, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    rt.pullStartedAt = Date.now();
    void checkImage(String(c.image)).then((result) => {
      if ('error' in result) rt.pullError = result.error;
      else [rt.imageId, rt.pulledSize] = [result.imageId, result.size];
      rt.pullDone = true;
    });
  }

  private start(pod: Obj, c: Obj, rt: ContainerRuntime, now: number): void {
    const ns = pod.metadata.namespace;
    rt.step = 'running';
    rt.waiting = undefined;
    rt.terminated = undefined;
    rt.startedAt = nowIso();
    this.event(pod, c, 'Normal', 'Created', `Created container: ${c.name}`);
    this.event(pod, c, 'Normal', 'Started', `Started container ${c.name}`);
    const lines = this.annotation(pod, 'log')?.split('\n') ?? [`${c.name}: starting (image ${c.image})`, `${c.name}: ready to serve`];
    this.logs.append(ns, pod.metadata.name, c.name, lines);
    const readyAfter = this.annotation(pod, 'ready-after');
    if (this.annotation(pod, 'never-ready') !== undefined) rt.readyAt = undefined;
    else if (readyAfter !== undefined) rt.readyAt = now + Number(readyAfter) * 1000;
    else rt.readyAt = now + (c.readinessProbe ? Math.min(Number(c.readinessProbe.initialDelaySeconds ?? 0), 5) * 1000 : 0);
    const exitCode = this.annotation(pod, 'exit-code');
    // Like KWOK's default stages: a pod that is meant to finish (restartPolicy Never/OnFailure,
    // e.g. a Job's) exits 0 after a short run unless annotations say otherwise; `Always` runs on.
    const finishes = (pod.spec?.restartPolicy ?? 'Always') !== 'Always';
    if (exitCode !== undefined) rt.exitAt = now + Number(this.annotation(pod, 'crash-after') ?? 1) * 1000;
    else rt.exitAt = finishes && this.annotation(pod, 'run-forever') === undefined ? now + Number(this.annotation(pod, 'run-seconds') ?? 1) * 1000 : undefined;
  }

  /** docker mode: the runtime starts the container; its output and exit arrive on their own. */
  private startReal(pod: Obj, c: Obj, rt: ContainerRuntime): void {
    if (rt.starting) return;
    rt.starting = true;
    rt.exitCode = undefined;
    this.real!.start(pod, c, rt.restarts, (code) => (rt.exitCode = code)).then(
      () => {
        rt.starting = false;
        rt.step = 'running';
        rt.waiting = undefined;
        rt.terminated = undefined;
        rt.startedAt = nowIso();
        rt.exitAt = undefined;
        // Without a readiness probe a started container is ready.
        rt.readyAt = c.readinessProbe ? undefined : Date.now();
        this.logs.append(pod.metadata.namespace, pod.metadata.name, c.name, []); // started: logs exist, maybe empty
        this.event(pod, c, 'Normal', 'Created', `Created container: ${c.name}`);
        this.event(pod, c, 'Normal', 'Started', `Started container ${c.name}`);
      },
      (err: Error) => {
        rt.starting = false;
        rt.step = 'crash-backoff';
        rt.nextAt = Date.now() + rt.backoffMs;
        rt.waiting = { reason: 'RunContainerError', message: err.message };
        this.event(pod, c, 'Warning', 'Failed', `Error: ${err.message}`);
      },
    );
  }

  private probeReal(pod: Obj, c: Obj, rt: ContainerRuntime, now: number): void {
    const probe = c.readinessProbe;
    if (!probe || rt.probing) return;
    const started = Date.parse(rt.startedAt ?? nowIso());
    if (now - started < Number(probe.initialDelaySeconds ?? 0) * 1000) return;
    if (now - (rt.lastProbeAt ?? 0) < Number(probe.periodSeconds ?? 10) * 1000) return;
    rt.probing = true;
    rt.lastProbeAt = now;
    this.real!.probe(pod, c, 'readinessProbe').then((ok) => {
      rt.probing = false;
      if (rt.step !== 'running') return;
      if (ok) rt.readyAt ??= Date.now();
      else {
        rt.readyAt = undefined;
        this.event(pod, c, 'Warning', 'Unhealthy', `Readiness probe failed: ${probe.httpGet ? `Get "http://127.0.0.1:${probe.httpGet.port}${probe.httpGet.path ?? '/'}": connection refused` : 'probe failed'}`);
      }
    });
  }

  /** failureThreshold consecutive failures: the kubelet kills the container, which then restarts. */
  private livenessReal(pod: Obj, c: Obj, rt: ContainerRuntime, now: number): void {
    const probe = c.livenessProbe;
    if (!probe || rt.livenessProbing) return;
    if (now - Date.parse(rt.startedAt ?? nowIso()) < Number(probe.initialDelaySeconds ?? 0) * 1000) return;
    if (now - (rt.lastLivenessAt ?? 0) < Number(probe.periodSeconds ?? 10) * 1000) return;
    rt.livenessProbing = true;
    rt.lastLivenessAt = now;
    const restarts = rt.restarts;
    this.real!.probe(pod, c, 'livenessProbe').then((ok) => {
      rt.livenessProbing = false;
      if (rt.step !== 'running' || rt.restarts !== restarts) return;
      if (ok) {
        rt.livenessFailures = 0;
        return;
      }
      rt.livenessFailures = (rt.livenessFailures ?? 0) + 1;
      this.event(pod, c, 'Warning', 'Unhealthy', `Liveness probe failed: ${probe.exec ? 'command failed' : 'connection refused'}`);
      if (rt.livenessFailures >= Number(probe.failureThreshold ?? 3)) {
        rt.livenessFailures = 0;
        this.event(pod, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
        void this.real!.kill(pod, c);
      }
    });
  }

  private exit(pod: Obj, c: Obj, rt: ContainerRuntime, now: number): void {
    const code = rt.exitCode ?? Number(this.annotation(pod, 'exit-code') ?? 0);
    rt.exitCode = undefined;
    if (!this.real) this.logs.append(pod.metadata.namespace, pod.metadata.name, c.name, [`${c.name}: exiting with code ${code}`]);
    const terminated = { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: rt.startedAt, finishedAt: nowIso(), containerID: `kubesim://${pod.metadata.uid}-${c.name}-${rt.restarts}` };
    rt.readyAt = undefined;
    rt.exitAt = undefined;
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Never' || (policy === 'OnFailure' && code === 0)) {
      rt.step = 'exited';
      rt.terminated = terminated;
      return;
    }
    // The terminated instance's output is what `kubectl logs --previous` shows from now on.
    this.logs.rotate(pod.metadata.namespace, pod.metadata.name, c.name);
    rt.lastTerminated = terminated;
    rt.restarts++;
    const backoff = Math.min(10_000 * 2 ** (rt.restarts - 1), MAX_BACKOFF_MS) * this.backoffScale;
    rt.step = 'crash-backoff';
    rt.nextAt = now + backoff;
    rt.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(backoff / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` };
    this.event(pod, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
  }

  /** A ConfigMap or Secret that env/envFrom needs (and does not mark optional) is missing. */
  private missingConfig(pod: Obj, c: Obj): string | undefined {
    const ns = pod.metadata.namespace;
    const refs: { kind: 'ConfigMap' | 'Secret'; name: string; optional?: boolean }[] = [];
    for (const e of (c.env ?? []) as Obj[]) {
      if (e.valueFrom?.configMapKeyRef) refs.push({ kind: 'ConfigMap', ...e.valueFrom.configMapKeyRef });
      if (e.valueFrom?.secretKeyRef) refs.push({ kind: 'Secret', ...e.valueFrom.secretKeyRef });
    }
    for (const e of (c.envFrom ?? []) as Obj[]) {
      if (e.configMapRef) refs.push({ kind: 'ConfigMap', ...e.configMapRef });
      if (e.secretRef) refs.push({ kind: 'Secret', ...e.secretRef });
    }
    const missing = refs.find((r) => !r.optional && !this.cluster.get(r.kind, ns, r.name));
    return missing && `${missing.kind.toLowerCase()} "${missing.name}" not found`;
  }

  private writeStatus(pod: Obj, runtimes: Map<string, ContainerRuntime>, now: number): void {
    const node = this.cluster.get('Node', undefined, pod.spec.nodeName);
    const hostIP = (node?.status?.addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address ?? '';
    this.cluster.write('Pod', { ...pod, status: podStatus(pod, runtimes, now, this.podIps, hostIP) });
  }
}
