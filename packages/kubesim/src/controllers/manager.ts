// Runs the controllers and the kubelet: after every change (coalesced) and on a short tick for
// timers (start delays, back-offs, probes, deadlines).
import type { LogStore } from '../logs.js';
import type { Cluster } from './cluster.js';
import { reconcileDaemonSets } from './daemonset.js';
import { reconcileDeployments } from './deployment.js';
import { reconcileEndpoints } from './endpoints.js';
import { reconcileJobs } from './job.js';
import { NamespaceController } from './namespace.js';
import { Kubelet, type RealRuntime } from './kubelet.js';
import { reconcileReplicaSets } from './replicaset.js';
import { createNodes, schedule } from './scheduler.js';
import { reconcileStatefulSets } from './statefulset.js';

export class ControllerManager {
  private readonly kubelet: Kubelet;
  private readonly namespaces: NamespaceController;
  private running = false;
  private again = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly cluster: Cluster,
    logs: LogStore,
    options: { nodes: number; backoffScale: number; runtime?: RealRuntime; caCert: string },
  ) {
    createNodes(cluster, options.nodes);
    this.namespaces = new NamespaceController(options.caCert);
    this.kubelet = new Kubelet(cluster, logs, options.backoffScale, options.runtime);
  }

  start(tickMs = 100): void {
    this.timer = setInterval(() => this.run(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One reconcile of everything; re-entrant calls fold into one more pass. */
  run(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        const now = Date.now();
        reconcileDeployments(this.cluster, now);
        reconcileReplicaSets(this.cluster, now);
        reconcileJobs(this.cluster, now);
        reconcileStatefulSets(this.cluster, now);
        reconcileDaemonSets(this.cluster, now);
        this.namespaces.reconcile(this.cluster, now);
        schedule(this.cluster);
        this.kubelet.tick();
        reconcileEndpoints(this.cluster);
      } while (this.again);
    } catch (err) {
      process.stderr.write(`kubesim: controller error: ${(err as Error).stack}\n`);
    } finally {
      this.running = false;
    }
  }
}
