// Faults and bad input around `slipway build` (issue: build and publish, point 7).
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, slipway, slipwayAsync } from './helpers/cli.js';
import { freePort } from './helpers/auth-registry.js';
import { gitRepo } from './helpers/git-fixture.js';
import { manifestDigest, stackEnv, uniqueRepo } from './helpers/stack.js';

// app.txt is unique per project: no step can come from the build cache, and no layer can be
// mounted from an earlier run's push (the push must really upload).
const project = (dockerfile: string) =>
  gitRepo({ 'slipway.yaml': 'project: faults\nimages:\n  app: {}\n', Dockerfile: dockerfile, 'app.txt': `hello ${randomBytes(8).toString('hex')}\n` });
const build = (dir: string, repo: string, env: Record<string, string> = {}, extra: string[] = []) =>
  slipway(['build', '--dir', dir, '--repo', repo, ...extra], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST, ...env } });

describe('build faults', () => {
  it('Docker daemon unreachable when a build is needed: exit 3 naming DOCKER_HOST', () => {
    const r = build(project('FROM busybox:stable\nCOPY app.txt /\n'), uniqueRepo(), { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Docker daemon unreachable at unix:///nonexistent/docker.sock');
    expect(r.stderr).toContain('hint: start Docker (npm run stack -- up starts one here), or point DOCKER_HOST at a running engine');
  });

  it('registry unreachable: exit 3 naming it', () => {
    const r = build(project('FROM busybox:stable\nCOPY app.txt /\n'), '127.0.0.1:59999/nothing');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/error: registry 127\.0\.0\.1:59999 is unreachable \(ECONNREFUSED\)/);
    const digest = slipway(['digest', '--check', '--dir', project('FROM busybox:stable\n'), '--repo', '127.0.0.1:59999/x']);
    expect(digest.code).toBe(3);
  });

  it('registry answering 503: exit 3, nothing built', async () => {
    const port = await freePort();
    const server = createServer((_req, res) => res.writeHead(503).end('{"errors":[{"code":"UNAVAILABLE"}]}'));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const r = await slipwayAsync(['build', '--dir', project('FROM busybox:stable\n'), '--repo', `127.0.0.1:${port}/x`], {
        env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`error: registry 127.0.0.1:${port} answered HTTP 503 for x/app`);
    } finally {
      server.close();
    }
  });

  it('a failing RUN: exit 1 with the step output', () => {
    const r = build(project('FROM busybox:stable\nRUN echo "compiling widgets" && echo "fatal: widget 7 is broken" >&2 && exit 3\n'), uniqueRepo());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: build failed: app');
    // The lines the step printed, decoded from BuildKit's trace (the command line itself holds
    // them too, between quotes: these are the output lines on their own).
    // The step's stdout and stderr lines (BuildKit keeps no order between the two streams).
    expect(r.stderr).toMatch(/\n\s+compiling widgets\n/);
    expect(r.stderr).toMatch(/\n\s+fatal: widget 7 is broken\n/);
    expect(r.stderr).not.toMatch(/[A-Za-z0-9+/]{20,}={0,2}\n/);
    expect(r.stderr).toMatch(/exit code: 3/);
  });

  it('a Dockerfile syntax error: exit 2 before any build', () => {
    const r = build(project('FROM busybox:stable\nCOPPY app.txt /\n'), uniqueRepo(), { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Dockerfile:2: unknown instruction: COPPY');
  });

  it.each([
    ['a build', 'FROM busybox:stable\nCOPY app.txt /\nRUN echo slow-step-started && sleep 5\n', 'slow-step-started'],
    // 150 MB of random data: the upload to the local registry takes a moment.
    ['a push', 'FROM busybox:stable\nCOPY app.txt /\nRUN head -c 150000000 /dev/urandom > /blob\n', 'pushing'],
    // Normalising and compressing the layer is interruptible too.
    ['packing', 'FROM busybox:stable\nCOPY app.txt /\nRUN head -c 60000000 /dev/urandom > /blob\n', 'exported'],
  ])('SIGINT during %s: exit 130, no tag in the registry, the next run builds it', async (_what, dockerfile, marker) => {
    const dir = project(dockerfile);
    const repo = uniqueRepo('sigint');
    const child = spawn(process.execPath, [join(ROOT, 'bin/slipway'), 'build', '--dir', dir, '--repo', repo, '--verbose', '--output', 'json'], {
      env: { ...process.env, DOCKER_HOST: stackEnv().DOCKER_HOST, CI: '', NO_COLOR: '1' },
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const started = new Promise<void>((resolve) =>
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes(marker)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await started;
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, exitCode: 130, error: { code: 130 } });
    const ref = (JSON.parse(slipway(['digest', '--dir', dir, '--repo', repo, '--output', 'json']).stdout) as { images: { ref: string }[] }).images[0]!.ref;
    expect(await manifestDigest(ref)).toBeNull();

    const again = build(dir, repo, {}, ['--output', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ images: [{ built: true }] });
    expect(await manifestDigest(ref)).toMatch(/^sha256:/);
  });
});
