// Deploy (issue 9): the lease lock, plan, rollback, history and dismiss, and API faults, against
// a kubesim with the fake kubelet (pods "run" without containers; kubesim.dev/* annotations
// shape them).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { BIN } from './helpers/cli.js';
import { change, exampleRepo, run, startCluster, uniqueRepo } from './helpers/deploy-fixture.js';
import { tempDir } from './helpers/git-fixture.js';
import type { RunningKubesim } from './helpers/kubesim.js';
import { stackEnv } from './helpers/stack.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startCluster('fake');
});
afterAll(() => sim?.stop());

const SLOW = (seconds: number) => ({
  'deploy/templates/slow.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: slow\nspec:\n  selector:\n    matchLabels: {app: slow}\n  template:\n    metadata:\n      labels: {app: slow}\n      annotations: {kubesim.dev/ready-after: "${seconds}"}\n    spec:\n      containers: [{name: c, image: "{{images.web.ref}}"}]\n`,
});

describe('the release lock', () => {
  it('a converge waits while another holds the lease, naming the holder; with --lock-timeout 2s it exits 3', async () => {
    const project = exampleRepo('hello');
    const repo = uniqueRepo('hello');
    const ns = 'locked';
    const warm = await run(sim, project, ['converge', '--namespace', ns, '--repo', repo]);
    expect(warm.code, warm.stderr).toBe(0);
    // Another runner holds the release: a live lease (renewed just now, long duration).
    const holder = 'ci-runner-7/4242/abcd1234';
    const lease = (spec: object) => JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'slipway.lock.hello', namespace: ns }, spec });
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    expect(sim.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager', 'other', '-f', '-'], { input: lease({ holderIdentity: holder, leaseDurationSeconds: 3600, acquireTime: now, renewTime: now }) }).code).toBe(0);
    const impatient = await run(sim, project, ['converge', '--namespace', ns, '--repo', repo, '--lock-timeout', '2s']);
    expect(impatient.code).toBe(3);
    expect(impatient.stderr).toContain(`release hello is locked by ${holder}`);
    expect(impatient.stderr).toMatch(/\nhint: /);

    let stderr = '';
    const child = spawn(process.execPath, [BIN, 'converge', '--dir', project, '--namespace', ns, '--repo', repo], {
      env: { ...process.env, KUBECONFIG: sim.kubeconfig, DOCKER_HOST: stackEnv().DOCKER_HOST, CI: '', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await expect.poll(() => stderr, { timeout: 30_000 }).toContain(`waiting: release hello is locked by ${holder}`);
    // The other runner finishes: it stops applying its holder (released), and the waiting converge goes ahead.
    expect(sim.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager', 'other', '-f', '-'], { input: lease({ leaseDurationSeconds: 3600 }) }).code).toBe(0);
    expect(await exited, stderr).toBe(0);
    // It held the lease itself, then released it.
    expect(sim.kubectl(['get', 'lease', 'slipway.lock.hello', '-n', ns, '-o', 'jsonpath={.spec.holderIdentity}']).stdout).toBe('');
  });

  it('a holder killed with SIGKILL is taken over once its lease expires', async () => {
    const project = exampleRepo('hello', SLOW(30));
    const repo = uniqueRepo('hello');
    expect((await run(sim, project, ['build', '--repo', repo])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'converge', '--dir', project, '--namespace', 'killed', '--repo', repo], {
      env: { ...process.env, KUBECONFIG: sim.kubeconfig, DOCKER_HOST: stackEnv().DOCKER_HOST },
      stdio: 'ignore',
    });
    await expect.poll(() => sim.kubectl(['get', 'lease', 'slipway.lock.hello', '-n', 'killed', '-o', 'jsonpath={.spec.holderIdentity}']).stdout, { timeout: 15_000 }).toContain(`/${child.pid}/`);
    // Killed once it has recorded its pending revision (a kill before that leaves nothing to mark failed).
    await expect.poll(() => sim.kubectl(['get', 'secret', 'slipway.release.hello.v1', '-n', 'killed', '-o', 'name']).code, { timeout: 15_000 }).toBe(0);
    child.kill('SIGKILL');
    change(project, SLOW(1));
    const next = await run(sim, project, ['converge', '--namespace', 'killed', '--repo', repo, '--output', 'json']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/took over the release lock of .*\/\d+\/.* \(expired\)/);
    // The dead run's revision is not left pending.
    const history = await run(sim, project, ['history', '--namespace', 'killed', '--output', 'json']);
    expect(history.json.revisions.map((r: { status: string }) => r.status)).toEqual(['deployed', 'failed']);
  });
});

describe('interrupts', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s while tracking: exit 130, the revision marked failed, the lock released; the next converge finishes', async (signal) => {
    const ns = `interrupted-${signal.toLowerCase()}`;
    const project = exampleRepo('hello', SLOW(30));
    const repo = uniqueRepo('hello');
    expect((await run(sim, project, ['build', '--repo', repo])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'converge', '--dir', project, '--namespace', ns, '--repo', repo], {
      env: { ...process.env, KUBECONFIG: sim.kubeconfig, DOCKER_HOST: stackEnv().DOCKER_HOST },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await expect.poll(() => stderr, { timeout: 15_000 }).toContain(`created: Deployment/${ns}/slow`);
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(130);
    const history = await run(sim, project, ['history', '--namespace', ns, '--output', 'json']);
    expect(history.json.revisions[0]).toMatchObject({ revision: 1, status: 'failed', note: 'interrupted' });
    change(project, SLOW(1));
    const next = await run(sim, project, ['converge', '--namespace', ns, '--repo', repo, '--lock-timeout', '1s']);
    expect(next.code, next.stderr).toBe(0);
  });
});

describe('plan', () => {
  const SECRET = { 'deploy/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: {{quote values.password}}\n', 'deploy/values.yaml': 'replicas: 1\ngreeting: hi\nport: 8080\npassword: old-secret-value\nresources: {}\n' };

  it('shows a Secret change masked and an image change as a diff; --exit-code is 6, then 0 after converge', async () => {
    const project = exampleRepo('hello', SECRET);
    const repo = uniqueRepo('hello');
    const args = ['--namespace', 'planned', '--repo', repo];
    const fresh = await run(sim, project, ['plan', ...args, '--exit-code']);
    expect(fresh.code, fresh.stderr).toBe(6);
    expect(fresh.stdout).toMatch(/^image web: .* \(to be built\)$/m);
    expect(fresh.stdout).toMatch(/^create +Deployment\/planned\/hello$/m);
    expect((await run(sim, project, ['converge', ...args])).code).toBe(0);
    const same = await run(sim, project, ['plan', ...args, '--exit-code']);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toContain('no changes');

    change(project, { 'www/index.html': '<h1>changed</h1>\n', 'deploy/values.yaml': SECRET['deploy/values.yaml'].replace('old-secret-value', 'new-secret-value') });
    const changed = await run(sim, project, ['plan', ...args, '--exit-code', '--output', 'json']);
    expect(changed.code).toBe(6);
    const text = (await run(sim, project, ['plan', ...args])).stdout;
    expect(text).toMatch(/^update +Secret\/planned\/creds$/m);
    expect(text).toContain('(masked, after)');
    expect(text).not.toMatch(/old-secret-value|new-secret-value|b2xkLXNlY3JldC12YWx1ZQ/);
    expect(text).toMatch(/^- +- image: .*web:[0-9a-f]{64}@sha256:[0-9a-f]{64}$/m);
    expect(text).toMatch(/^\+ +- image: .*web:[0-9a-f]{64}$/m);
    expect(JSON.stringify(changed.json)).not.toContain('secret-value');
    expect(changed.json.resources.find((r: { kind: string }) => r.kind === 'Deployment').action).toBe('update');
  });
});

describe('rollback, history, dismiss', () => {
  it('rollback puts the previous image back and tracks it; history lists the revisions; dismiss removes everything', async () => {
    const project = exampleRepo('hello');
    const repo = uniqueRepo('hello');
    const args = ['--namespace', 'rolled'];
    const v1 = await run(sim, project, ['converge', ...args, '--repo', repo, '--output', 'json']);
    expect(v1.code, v1.stderr).toBe(0);
    const image = () => sim.kubectl(['get', 'deploy/hello', '-n', 'rolled', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).stdout;
    const first = image();
    change(project, { 'www/index.html': '<h1>v2</h1>\n' });
    expect((await run(sim, project, ['converge', ...args, '--repo', repo])).code).toBe(0);
    expect(image()).not.toBe(first);
    const back = await run(sim, project, ['rollback', ...args, '--output', 'json']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.json).toMatchObject({ revision: 3, rolledBackTo: 1 });
    expect(back.json.resources.find((r: { kind: string }) => r.kind === 'Deployment')).toMatchObject({ action: 'updated', status: 'ready' });
    expect(image()).toBe(first);

    const history = await run(sim, project, ['history', ...args]);
    expect(history.code).toBe(0);
    expect(history.stdout.split('\n')[0]).toMatch(/^REVISION +COMMIT +STATUS +STARTED +FINISHED +IMAGES +NOTE$/);
    expect(history.stdout).toMatch(/^3 +[0-9a-f]{12} +deployed .*rollback to revision 1$/m);
    const json = await run(sim, project, ['history', ...args, '--output', 'json']);
    expect(json.json.revisions.map((r: { revision: number }) => r.revision)).toEqual([3, 2, 1]);

    const missing = await run(sim, project, ['rollback', ...args, '--revision', '9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('has no revision 9');

    const dismissed = await run(sim, project, ['dismiss', ...args, '--with-namespace']);
    expect(dismissed.code, dismissed.stderr).toBe(0);
    expect(dismissed.stdout).toContain('deleted Deployment/rolled/hello');
    expect(sim.kubectl(['get', 'ns', 'rolled']).code).not.toBe(0);
  });
});

describe('a release record damaged by hand', () => {
  it('is named in a warning, never overwritten: the next revision comes after it; history lists the others', async () => {
    const project = exampleRepo('hello');
    const repo = uniqueRepo('hello');
    const args = ['--namespace', 'damaged', '--repo', repo];
    expect((await run(sim, project, ['converge', ...args])).code).toBe(0);
    expect((await run(sim, project, ['converge', ...args])).code).toBe(0);
    expect(sim.kubectl(['patch', 'secret', 'slipway.release.hello.v2', '-n', 'damaged', '--type=merge', '-p', '{"data":{"release":"bm90IGd6aXA="}}']).code).toBe(0);
    const history = await run(sim, project, ['history', '--namespace', 'damaged']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stderr).toContain('release record slipway.release.hello.v2 cannot be read (changed by hand?)');
    expect(history.stdout.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(/ +/)[0])).toEqual(['1']);
    const next = await run(sim, project, ['converge', ...args, '--output', 'json']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.json.revision).toBe(3);
    expect(next.stderr).toContain('release record slipway.release.hello.v2 cannot be read');
    expect(sim.kubectl(['get', 'secret', 'slipway.release.hello.v2', '-n', 'damaged', '-o', 'jsonpath={.data.release}']).stdout).toBe('bm90IGd6aXA=');
    // dismiss takes it with the release, saying what it cannot know.
    const dismissed = await run(sim, project, ['dismiss', '--namespace', 'damaged']);
    expect(dismissed.code, dismissed.stderr).toBe(0);
    expect(dismissed.stderr).toContain('release record slipway.release.hello.v2 cannot be read: deleted with the release; objects only it applied are left');
    expect(sim.kubectl(['get', 'secret', '-n', 'damaged', '-l', 'slipway.dev/release-record=hello', '-o', 'name']).stdout).toBe('');
  });
});

describe('custom resources', () => {
  it('a CRD and its custom resource in one release: the CRD is established first, then the resource applies', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gear\nspec:\n  teeth: 12\n';
    const project = exampleRepo('hello', { 'deploy/templates/crd.yaml': crd, 'deploy/templates/widget.yaml': widget });
    const r = await run(sim, project, ['converge', '--namespace', 'widgets', '--repo', uniqueRepo('hello'), '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.resources.find((x: { kind: string }) => x.kind === 'Widget')).toMatchObject({ action: 'created', status: 'ready' });
    expect(sim.kubectl(['get', 'widgets.example.com', 'gear', '-n', 'widgets', '-o', 'jsonpath={.spec.teeth}']).stdout).toBe('12');
    const again = await run(sim, project, ['converge', '--namespace', 'widgets', '--repo', uniqueRepo('hello'), '--output', 'json']);
    expect(again.code, again.stderr).toBe(0);
  });
});

describe('API faults and credentials', () => {
  it('three 503 answers are retried; the deploy succeeds', async () => {
    const project = exampleRepo('hello');
    await sim.admin('fail', { status: 503, count: 3 });
    const r = await run(sim, project, ['converge', '--namespace', 'flaky', '--repo', uniqueRepo('hello')]);
    await sim.admin('clear');
    expect(r.code, r.stderr).toBe(0);
  });

  it('an API failing for 60 s is exit 3 with a clear message, and no revision is left pending', async () => {
    const project = exampleRepo('hello');
    const repo = uniqueRepo('hello');
    expect((await run(sim, project, ['build', '--repo', repo])).code).toBe(0);
    await sim.admin('fail', { status: 503, seconds: 60 });
    const r = await run(sim, project, ['converge', '--namespace', 'down', '--repo', repo]);
    await sim.admin('clear');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/error: cluster https:\/\/127\.0\.0\.1:\d+ kept failing \(HTTP 503/);
    expect(r.stderr).toMatch(/\nhint: /);
    const history = await run(sim, project, ['history', '--namespace', 'down', '--output', 'json']);
    expect(history.json.revisions.filter((x: { status: string }) => x.status === 'pending')).toEqual([]);
  });

  it('a wrong CA is exit 3 mentioning certificate verification', async () => {
    const config = parse(readFileSync(sim.kubeconfig, 'utf8'));
    const other = await startCluster('fake');
    const otherCa = parse(readFileSync(other.kubeconfig, 'utf8')).clusters[0].cluster['certificate-authority-data'];
    await other.stop();
    config.clusters[0].cluster['certificate-authority-data'] = otherCa;
    const path = join(tempDir(), 'kubeconfig');
    writeFileSync(path, stringify(config));
    const r = await run(sim, exampleRepo('hello'), ['converge', '--namespace', 'tls', '--repo', uniqueRepo('hello'), '--kubeconfig', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/TLS certificate verification failed/);
  });

  it('kubeconfigs with files next to them (CA file, token file) and with an exec credential plugin both work', async () => {
    const config = parse(readFileSync(sim.kubeconfig, 'utf8'));
    const dir = tempDir();
    writeFileSync(join(dir, 'ca.crt'), sim.ca);
    writeFileSync(join(dir, 'token'), `${sim.token}\n`);
    const withFiles = structuredClone(config);
    withFiles.clusters[0].cluster = { server: sim.server, 'certificate-authority': 'ca.crt' };
    withFiles.users = [{ name: 'admin', user: { tokenFile: 'token' } }];
    writeFileSync(join(dir, 'files.yaml'), stringify(withFiles));
    // An exec plugin (what cloud CLIs install): client-node runs it for the token.
    writeFileSync(join(dir, 'credential.sh'), `#!/bin/sh\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' '${sim.token}'\n`, { mode: 0o755 });
    const withExec = structuredClone(config);
    withExec.users = [{ name: 'admin', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: join(dir, 'credential.sh'), interactiveMode: 'Never' } } }];
    writeFileSync(join(dir, 'exec.yaml'), stringify(withExec));
    const project = exampleRepo('hello');
    for (const file of ['files.yaml', 'exec.yaml']) {
      const r = await run(sim, project, ['converge', '--namespace', `creds-${file.split('.')[0]}`, '--repo', uniqueRepo('hello'), '--kubeconfig', join(dir, file)]);
      expect(r.code, `${file}: ${r.stderr}`).toBe(0);
    }
  });

  it('the read-only token is exit 3 naming the forbidden verb', async () => {
    const r = await run(sim, exampleRepo('hello'), ['converge', '--namespace', 'readonly', '--repo', uniqueRepo('hello'), '--kube-context', 'kubesim-readonly']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/forbidden to (apply|create|dry-run apply) /);
  });

  it('no kubeconfig at all is exit 3, and nothing is sent to localhost:8080', async () => {
    let connections = 0;
    const trap = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    const listening = await new Promise<boolean>((resolve) => {
      trap.once('error', () => resolve(false));
      trap.listen(8080, '127.0.0.1', () => resolve(true));
    });
    const home = tempDir();
    const r = await run(sim, exampleRepo('hello'), ['converge', '--namespace', 'nowhere', '--repo', uniqueRepo('hello')], { KUBECONFIG: undefined, HOME: home, KUBERNETES_SERVICE_HOST: undefined });
    trap.close();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no kubeconfig');
    expect(r.stderr).toMatch(/\nhint: pass --kubeconfig/);
    if (listening) expect(connections).toBe(0);
  });
});
