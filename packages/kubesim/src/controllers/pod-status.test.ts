import { describe, expect, it } from 'vitest';
import type { ContainerRuntime } from './container-runtime.js';
import { podStatus } from './pod-status.js';

const pod = { metadata: { uid: 'u1', name: 'p' }, spec: { containers: [{ name: 'app', image: 'r/app:1' }, { name: 'side', image: 'r/side:1' }] }, status: { phase: 'Pending' } };
const rt = (over: Partial<ContainerRuntime>): ContainerRuntime => ({ step: 'running', nextAt: 0, restarts: 0, startedAt: '2026-01-01T00:00:00Z', ...over }) as ContainerRuntime;

describe('pod status as the kubelet writes it', () => {
  it('is Running and not Ready while one container is not ready, naming it', () => {
    const status = podStatus(pod, new Map([['app', rt({ readyAt: 0 })], ['side', rt({ readyAt: 10_000 })]]), 5_000, new Map(), '172.18.0.2');
    expect(status.phase).toBe('Running');
    const ready = status.conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [side]' });
    expect(status.hostIP).toBe('172.18.0.2');
    expect(status.podIPs).toEqual([{ ip: status.podIP }]);
  });

  it('is Ready with every container ready, and keeps its pod IP across updates', () => {
    const ips = new Map<string, string>();
    const runtimes = new Map([['app', rt({ readyAt: 0 })], ['side', rt({ readyAt: 0 })]]);
    const first = podStatus(pod, runtimes, 1, ips, '172.18.0.2');
    const second = podStatus({ ...pod, status: first }, runtimes, 2, ips, '172.18.0.2');
    expect(second.conditions.find((c: any) => c.type === 'Ready')).toEqual({ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: expect.any(String) });
    expect(second.podIP).toBe(first.podIP);
  });

  it('is Succeeded when every container exited 0 and Failed when one did not', () => {
    const done = (exitCode: number) => rt({ step: 'exited', terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } });
    expect(podStatus(pod, new Map([['app', done(0)], ['side', done(0)]]), 1, new Map(), 'h').phase).toBe('Succeeded');
    const failed = podStatus(pod, new Map([['app', done(0)], ['side', done(2)]]), 1, new Map(), 'h');
    expect(failed.phase).toBe('Failed');
    expect(failed.conditions.find((c: any) => c.type === 'Ready').reason).toBe('PodFailed');
  });

  it('is Pending with ContainerCreating before any container started', () => {
    const status = podStatus(pod, new Map([['app', rt({ step: 'pulling', startedAt: undefined })], ['side', rt({ step: 'init', startedAt: undefined })]]), 1, new Map(), 'h');
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(status.containerStatuses[0].imageID).toBe('');
  });
});
