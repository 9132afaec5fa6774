// What the kubelet tracks per container, and what a real container runtime (docker mode) offers it.
import type { Obj } from '../store.js';

export type Step = 'init' | 'pulling' | 'pull-failed' | 'pull-backoff' | 'config-error' | 'invalid' | 'starting' | 'running' | 'crash-backoff' | 'exited';

/** Runs containers for real (docker mode); the kubelet keeps the state machine. */
export interface RealRuntime {
  /** Pulls, creates and starts the container; calls onExit when it stops. Throws to fail the start. */
  start(pod: Obj, container: Obj, restart: number, onExit: (code: number) => void): Promise<void>;
  /** Runs a probe of the container once. */
  probe(pod: Obj, container: Obj, which: 'readinessProbe' | 'livenessProbe'): Promise<boolean>;
  /** Stops the container (a failed liveness probe); its exit is reported as usual. */
  kill(pod: Obj, container: Obj): Promise<void>;
  /** Removes what belongs to pods not in `live` (uids). */
  collect(live: Set<string>): void;
}

export interface ContainerRuntime {
  step: Step;
  /** docker mode: the start in progress, the exit code reported, the last probe time. */
  starting?: boolean;
  exitCode?: number;
  lastProbeAt?: number;
  probing?: boolean;
  lastLivenessAt?: number;
  livenessFailures?: number;
  livenessProbing?: boolean;
  nextAt: number;
  restarts: number;
  backoffMs: number;
  startedAt?: string;
  readyAt?: number;
  exitAt?: number;
  lastUnhealthyAt?: number;
  waiting?: { reason: string; message?: string };
  terminated?: Obj;
  lastTerminated?: Obj;
  pullError?: string | null;
  pullDone?: boolean;
  pullStartedAt?: number;
  pulledSize?: number;
  /** The pulled image as a digest reference (containerStatuses[].imageID). */
  imageId?: string;
}
