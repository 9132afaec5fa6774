// The pod status the kubelet writes: phase, conditions and containerStatuses from the state of
// each container (kubernetes pkg/kubelet/kubelet_pods.go, status/generate.go).
import type { Obj } from '../store.js';
import { nowIso, setCondition } from './cluster.js';
import type { ContainerRuntime } from './container-runtime.js';

/** The pod status the kubelet reports for these container runtimes. */
export function podStatus(pod: Obj, runtimes: Map<string, ContainerRuntime>, now: number, podIps: Map<string, string>, hostIP: string): Obj {
    const status: Obj = structuredClone(pod.status ?? {});
    const containers = pod.spec.containers as Obj[];
    const statuses = containers.map((c) => {
      const rt = runtimes.get(c.name)!;
      const ready = rt.step === 'running' && rt.readyAt !== undefined && now >= rt.readyAt;
      const state = rt.step === 'running' ? { running: { startedAt: rt.startedAt } } : rt.terminated ? { terminated: rt.terminated } : { waiting: rt.waiting ?? { reason: 'ContainerCreating' } };
      return {
        name: c.name,
        state,
        lastState: rt.lastTerminated ? { terminated: rt.lastTerminated } : {},
        ready,
        restartCount: rt.restarts,
        image: c.image,
        imageID: rt.startedAt ? (rt.imageId ?? '') : '',
        ...(rt.startedAt ? { containerID: `kubesim://${pod.metadata.uid}-${c.name}-${rt.restarts}` } : {}),
        started: rt.step === 'running',
      };
    });
    status.containerStatuses = statuses;
    const allReady = statuses.every((s) => s.ready);
    const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
    const terminated = statuses.every((s) => 'terminated' in s.state);
    if (terminated) {
      status.phase = statuses.every((s) => (s.state as Obj).terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
    } else status.phase = statuses.some((s) => 'running' in s.state || s.restartCount > 0) ? 'Running' : 'Pending';
    // The node's InternalIP, as the kubelet of that node reports it.
    status.hostIP = hostIP;
    status.hostIPs = [{ ip: hostIP }];
    if (!podIps.has(pod.metadata.uid)) podIps.set(pod.metadata.uid, `10.244.${Math.floor(podIps.size / 250) % 250}.${(podIps.size % 250) + 2}`);
    status.podIP = podIps.get(pod.metadata.uid);
    status.podIPs = [{ ip: status.podIP }];
    status.startTime ??= nowIso();
    status.qosClass ??= 'BestEffort';
    setCondition(status, { type: 'PodReadyToStartContainers', status: 'True', reason: '', message: '' });
    setCondition(status, { type: 'Initialized', status: 'True', reason: '', message: '' });
    const reason = terminated ? (status.phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed') : 'ContainersNotReady';
    const message = `containers with unready status: [${notReady.join(' ')}]`;
    setCondition(status, allReady ? { type: 'ContainersReady', status: 'True', reason: '', message: '' } : { type: 'ContainersReady', status: 'False', reason, message });
    setCondition(status, allReady ? { type: 'Ready', status: 'True', reason: '', message: '' } : { type: 'Ready', status: 'False', reason, message });
    // PodCondition serialises its zero lastProbeTime as null, as on a real pod.
    status.conditions = (status.conditions as Obj[]).map(({ type, status: value, lastProbeTime = null, lastTransitionTime, reason, message }) => ({
      type, status: value, lastProbeTime, lastTransitionTime, ...(reason ? { reason } : {}), ...(message ? { message } : {}),
    }));
    return status;
}


