// Track and converge (issue 10): failing fast with the evidence, deadlines, --atomic, drift and
// watch faults, against a kubesim with the fake kubelet (kubesim.dev/* annotations shape pods).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, exampleRepo, run, startCluster, uniqueRepo } from './helpers/deploy-fixture.js';
import type { RunningKubesim } from './helpers/kubesim.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startCluster('fake');
});
afterAll(() => sim?.stop());

interface Workload {
  name: string;
  image?: string;
  annotations?: Record<string, string>;
  deadline?: number;
  weight?: number;
}

const deployment = (w: Workload) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${w.name}
${w.weight !== undefined ? `  annotations: {slipway.dev/weight: "${w.weight}"}\n` : ''}spec:
${w.deadline ? `  progressDeadlineSeconds: ${w.deadline}\n` : ''}  selector:
    matchLabels: {app: ${w.name}}
  template:
    metadata:
      labels: {app: ${w.name}}
      annotations: ${JSON.stringify(w.annotations ?? {})}
    spec:
      containers: [{name: main, image: "${w.image ?? '{{images.web.ref}}'}"}]
`;

const only = (files: Record<string, string>) => ({
  'deploy/templates/deployment.yaml': null,
  'deploy/templates/service.yaml': null,
  'deploy/templates/configmap.yaml': null,
  ...files,
});

async function converge(files: Record<string, string | null>, namespace: string, extra: string[] = []) {
  const project = exampleRepo('hello', files);
  const repo = uniqueRepo('hello');
  return { project, repo, result: await run(sim, project, ['converge', '--namespace', namespace, '--repo', repo, ...extra]) };
}

describe('failing fast with the evidence', () => {
  it('an image missing from the registry: exit 1 with the pull error, the image and the event', async () => {
    const image = '127.0.0.1:5000/not-there/app:1';
    const { project, repo, result } = await converge(only({ 'deploy/templates/app.yaml': deployment({ name: 'app', image }) }), 'pull', ['--timeout', '15s']);
    expect(result.code, result.stderr).toBe(1);
    const json = await run(sim, project, ['converge', '--namespace', 'pull', '--repo', repo, '--timeout', '15s', '--output', 'json']);
    expect(json.code).toBe(1);
    expect(json.json.resources.find((r: { name: string }) => r.name === 'app')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff)$/) });
    expect(json.json.error).toMatchObject({ code: 1 });
    expect(result.stderr).toMatch(/error: rollout failed: Deployment\/pull\/app: (ErrImagePull|ImagePullBackOff)/);
    expect(result.stderr).toContain(image);
    expect(result.stderr).toMatch(/events:\n(.*\n)*\s+Pod\/app-[a-z0-9-]+: Failed: .*not found/);
    expect(result.stderr).toMatch(/\nhint: /);
  });

  it('a crash loop: exit 1 with CrashLoopBackOff and the line the container printed', async () => {
    const annotations = { 'kubesim.dev/exit-code': '1', 'kubesim.dev/crash-after': '0', 'kubesim.dev/log': 'fatal: cannot open /data/db' };
    const { result } = await converge(only({ 'deploy/templates/app.yaml': deployment({ name: 'app', annotations }) }), 'crash', ['--timeout', '60s']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/rollout failed: Deployment\/crash\/app: CrashLoopBackOff/);
    expect(result.stderr).toMatch(/log of pod app-[a-z0-9-]+ container main \(previous instance\):\n\s+\| fatal: cannot open \/data\/db/);
  });

  it('a failing migration Job at weight -1: exit 1 with BackoffLimitExceeded and its log; weight 0 is never applied', async () => {
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {slipway.dev/weight: "-1"}
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations: {kubesim.dev/exit-code: "3", kubesim.dev/crash-after: "0", kubesim.dev/log: "ERROR: relation orders already exists"}
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "{{images.web.ref}}"}]
`;
    const { result } = await converge(only({ 'deploy/templates/job.yaml': job, 'deploy/templates/app.yaml': deployment({ name: 'app' }) }), 'migrate', ['--timeout', '60s']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/rollout failed: Job\/migrate\/migrate: BackoffLimitExceeded/);
    expect(result.stderr).toContain('ERROR: relation orders already exists');
    expect(sim.kubectl(['get', 'deploy/app', '-n', 'migrate']).code).not.toBe(0);
  });

  it('a never-ready pod: ProgressDeadlineExceeded (exit 1) with a short deadline, exit 4 at --timeout with a long one', async () => {
    const never = { 'kubesim.dev/never-ready': '' };
    const short = await converge(only({ 'deploy/templates/app.yaml': deployment({ name: 'app', annotations: never, deadline: 10 }) }), 'deadline', ['--timeout', '60s']);
    expect(short.result.code, short.result.stderr).toBe(1);
    expect(short.result.stderr).toMatch(/rollout failed: Deployment\/deadline\/app: ProgressDeadlineExceeded/);
    const long = await converge(only({ 'deploy/templates/app.yaml': deployment({ name: 'app', annotations: never, deadline: 600 }) }), 'timeout', ['--timeout', '5s', '--output', 'json']);
    expect(long.result.code, long.result.stderr).toBe(4);
    expect(long.result.stderr).toMatch(/error: timed out: 1 resource not ready\n\s+Deployment\/timeout\/app: /);
    expect(long.result.json.resources.find((r: { name: string }) => r.name === 'app')).toMatchObject({ status: 'timeout' });
    expect(long.result.json.error.code).toBe(4);
  });
});

describe('atomic, drift and watch faults', () => {
  it('--atomic restores the previous revision after a failing change and reports it', async () => {
    const { project, repo, result } = await converge(only({ 'deploy/templates/app.yaml': deployment({ name: 'app' }) }), 'atomic');
    expect(result.code, result.stderr).toBe(0);
    const image = () => sim.kubectl(['get', 'deploy/app', '-n', 'atomic', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).stdout;
    const good = image();
    change(project, { 'deploy/templates/app.yaml': deployment({ name: 'app', image: '127.0.0.1:5000/not-there/app:2' }) });
    const failed = await run(sim, project, ['converge', '--namespace', 'atomic', '--repo', repo, '--atomic', '--timeout', '30s', '--output', 'json']);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/--atomic: revision 1 \(commit [0-9a-f]{12}\) re-applied as revision 3: ready/);
    expect(failed.json).toMatchObject({ revision: 2, rolledBackTo: 1 });
    expect(image()).toBe(good);
    const history = await run(sim, project, ['history', '--namespace', 'atomic', '--output', 'json']);
    expect(history.json.revisions.map((r: { status: string }) => r.status)).toEqual(['deployed', 'failed', 'deployed']);
  });

  it('drift: a hand-set image is put back and the rollout tracked', async () => {
    const { project, repo, result } = await converge(only({ 'deploy/templates/app.yaml': deployment({ name: 'app' }) }), 'drift-track');
    expect(result.code).toBe(0);
    expect(sim.kubectl(['set', 'image', 'deploy/app', '-n', 'drift-track', 'main=127.0.0.1:5000/other:1']).code).toBe(0);
    const again = await run(sim, project, ['converge', '--namespace', 'drift-track', '--repo', repo, '--output', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.resources.find((r: { name: string }) => r.name === 'app')).toMatchObject({ action: 'updated', status: 'ready' });
    expect(sim.kubectl(['get', 'deploy/app', '-n', 'drift-track', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).stdout).toMatch(/\/web:[0-9a-f]{64}@sha256:/);
  });

  it('watches dropped every 2 s and a 410 on re-watch do not change the outcome', async () => {
    const slow = deployment({ name: 'app', annotations: { 'kubesim.dev/ready-after': '7' } });
    const project = exampleRepo('hello', only({ 'deploy/templates/app.yaml': slow }));
    const pending = run(sim, project, ['converge', '--namespace', 'faults', '--repo', uniqueRepo('hello'), '--timeout', '60s']);
    let dropped = 0;
    let finished = false;
    void pending.then(() => (finished = true));
    for (let i = 0; !finished && i < 30; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      if (i === 1) await sim.admin('compact');
      dropped += (await sim.admin('drop-watches')).dropped as number;
    }
    const result = await pending;
    expect(result.code, result.stderr).toBe(0);
    expect(dropped).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/^Deployment +faults +app +created +ready/m);
  });
});
