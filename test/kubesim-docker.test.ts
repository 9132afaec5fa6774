// kubesim with `--kubelet docker`: containers really run in the stack's Docker engine.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, slipway } from './helpers/cli.js';
import { commitAll, git } from './helpers/git-fixture.js';
import { startKubesim, type RunningKubesim } from './helpers/kubesim.js';
import { stackEnv, uniqueRepo } from './helpers/stack.js';

let sim: RunningKubesim;
let hello: string;
let busybox: string;
const docker = (...args: string[]) => execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: stackEnv().DOCKER_HOST }, encoding: 'utf8' });

beforeAll(async () => {
  // examples/hello, built by slipway into the stack's registry.
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-hello-'));
  cleanup.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  cpSync(join(ROOT, 'examples/hello'), dir, { recursive: true });
  commitAll(dir);
  const built = slipway(['build', '--dir', dir, '--repo', uniqueRepo('hello'), '--output', 'json'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST } });
  expect(built.code, built.stderr).toBe(0);
  hello = (JSON.parse(built.stdout) as { images: { ref: string }[] }).images[0]!.ref;
  busybox = `${stackEnv().SLIPWAY_TEST_REGISTRY}/kubesim/busybox:stable`;
  docker('tag', 'busybox:stable', busybox);
  docker('push', '-q', busybox);
  sim = await startKubesim(['--kubelet', 'docker', '--backoff-scale', '0.05'], { DOCKER_HOST: stackEnv().DOCKER_HOST });
}, 120_000);
afterAll(async () => {
  await sim?.stop();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});
const cleanup: string[] = [];

const apply = (yaml: string) => {
  const r = sim.kubectl(['apply', '--server-side', '-f', '-'], { input: yaml });
  expect(r.code, r.stderr).toBe(0);
};
const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const helloDeployment = (version: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: hello, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}, annotations: {version: "${version}"}}
    spec:
      containers:
        - name: web
          image: ${hello}
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
`;

describe('kubesim --kubelet docker', () => {
  it('examples/hello runs from the registry, its httpGet readiness probe passes, kubectl logs shows httpd', async () => {
    apply(helloDeployment('1'));
    const r = sim.kubectl(['rollout', 'status', 'deployment/hello', '--timeout=60s'], { timeout: 70_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('deployment "hello" successfully rolled out');
    // The probe's requests are what httpd -v logs.
    await until(() => /response:200/.test(sim.kubectl(['logs', 'deployment/hello']).stdout), 'httpd request logs');
    const state = await sim.admin('state');
    const containers = docker('ps', '--filter', `label=kubesim.dev/instance=${state.instance}`, '--format', '{{.Image}}').trim().split('\n');
    expect(containers.filter((i) => i === hello)).toHaveLength(2);

    apply(helloDeployment('2'));
    const again = sim.kubectl(['rollout', 'status', 'deployment/hello', '--timeout=60s'], { timeout: 70_000 });
    expect(again.code, again.stderr).toBe(0);
  });

  it('exit codes drive CrashLoopBackOff; logs --previous shows what the container printed; env comes from ConfigMaps', async () => {
    expect(sim.kubectl(['create', 'configmap', 'greeting', '--from-literal=text=hello from a configmap']).code).toBe(0);
    apply(`apiVersion: v1
kind: Pod
metadata: {name: crasher, namespace: default}
spec:
  containers:
    - name: app
      image: ${busybox}
      command: [sh, -c]
      args: ['echo "attempt at $(date +%s): $GREETING"; exit 2']
      env: [{name: GREETING, valueFrom: {configMapKeyRef: {name: greeting, key: text}}}]
`);
    await until(() => /CrashLoopBackOff\s+[1-9]/.test(sim.kubectl(['get', 'pod', 'crasher']).stdout), 'CrashLoopBackOff');
    const pod = JSON.parse(sim.kubectl(['get', 'pod', 'crasher', '-o', 'json']).stdout);
    expect(pod.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const previous = sim.kubectl(['logs', 'crasher', '--previous']);
    expect(previous.code, previous.stderr).toBe(0);
    expect(previous.stdout).toMatch(/^attempt at \d+: hello from a configmap\n$/);
  });

  it('exec and tcpSocket readiness probes; a failing liveness probe kills and restarts the container', async () => {
    apply(`apiVersion: v1
kind: Pod
metadata: {name: probes, namespace: default}
spec:
  containers:
    - name: web
      image: ${busybox}
      command: [httpd, -f, -p, '9090', -h, /tmp]
      readinessProbe: {tcpSocket: {port: 9090}, periodSeconds: 1}
    - name: worker
      image: ${busybox}
      command: [sh, -c, 'sleep 1; touch /tmp/ready; echo worker up; sleep 3600']
      readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 1}
      livenessProbe: {exec: {command: [test, -f, /tmp/never]}, initialDelaySeconds: 2, periodSeconds: 1, failureThreshold: 2}
`);
    await until(() => /probes\s+2\/2\s+Running/.test(sim.kubectl(['get', 'pod', 'probes']).stdout), 'both containers ready');
    await until(() => (JSON.parse(sim.kubectl(['get', 'pod', 'probes', '-o', 'json']).stdout).status.containerStatuses.find((c: any) => c.name === 'worker')?.restartCount ?? 0) >= 1, 'the liveness restart');
    const events = sim.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=probes', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']).stdout;
    expect(events).toContain('Killing: Container worker failed liveness probe, will be restarted');
    expect(events).toMatch(/Unhealthy: Liveness probe failed/);
    expect(sim.kubectl(['logs', 'probes', '-c', 'worker', '--previous']).stdout).toBe('worker up\n');
    expect(sim.kubectl(['delete', 'pod', 'probes', '--wait=false']).code).toBe(0);
  });

  it('kubectl exec (WebSocket remotecommand) runs commands in the pod: stdout, stderr, stdin, exit codes, refusals', async () => {
    const shell = `apiVersion: v1\nkind: Pod\nmetadata: {name: shell, namespace: default}\nspec:\n  containers: [{name: sh, image: "${busybox}", command: [sleep, "3600"]}]\n`;
    apply(shell);
    expect(sim.kubectl(['wait', '--for=condition=Ready', 'pod/shell', '--timeout=60s'], { timeout: 70_000 }).code).toBe(0);
    expect(sim.kubectl(['exec', 'shell', '--', 'echo', 'hello from the pod'])).toMatchObject({ code: 0, stdout: 'hello from the pod\n' });
    const failing = sim.kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(failing).toMatchObject({ code: 3, stdout: 'out\n' });
    expect(failing.stderr).toContain('err\ncommand terminated with exit code 3');
    expect(sim.kubectl(['exec', '-i', 'shell', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped input\n' })).toMatchObject({ code: 0, stdout: 'PIPED INPUT\n' });
    expect(sim.kubectl(['exec', 'shell', '-c', 'nope', '--', 'true']).stderr).toContain('container nope is not valid for pod shell');
    expect(sim.kubectl(['exec', 'shell', '--context', 'kubesim-readonly', '--', 'true']).stderr).toContain('cannot create resource "pods/exec"');
  });

  it('a deleted pod takes its containers; stopping kubesim removes every container it started', async () => {
    const { instance } = await sim.admin('state');
    const mine = () => docker('ps', '-aq', '--filter', `label=kubesim.dev/instance=${instance}`).trim().split('\n').filter(Boolean);
    const names = () => docker('ps', '-a', '--filter', `label=kubesim.dev/instance=${instance}`, '--format', '{{.Names}}');
    // Its own pods (no state from the tests before): one to delete, one still running at the stop.
    for (const name of ['doomed', 'keeper']) {
      apply(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default}\nspec:\n  containers: [{name: main, image: "${busybox}", command: [sleep, "3600"]}]\n`);
    }
    await until(() => names().includes('doomed') && names().includes('keeper'), 'both pods to run');
    expect(sim.kubectl(['delete', 'pod', 'doomed', '--wait=false']).code).toBe(0);
    await until(() => !names().includes('doomed'), 'the pod containers to go');
    expect(names()).toContain('keeper');
    expect(mine().length).toBeGreaterThan(0);
    // An unrelated container stays.
    const other = docker('create', '--label', 'kubesim.dev/instance=someone-else', busybox, 'true').trim();
    try {
      await sim.stop();
      expect(mine()).toEqual([]);
      expect(docker('ps', '-aq', '--filter', `id=${other}`).trim()).not.toBe('');
    } finally {
      docker('rm', '-f', other);
    }
  });
});
