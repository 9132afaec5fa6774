// Behaviours the README documents that no other test checks: SLIPWAY_ENV/SLIPWAY_VALUES,
// --platform in the digest, --parallel, --insecure-registry end to end, registries that answer
// with an image index.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { ROOT, slipway, slipwayAsync } from './helpers/cli.js';
import { commitAll, git, gitRepo, tempDir, type FileTree } from './helpers/git-fixture.js';
import { stackEnv, uniqueRepo } from './helpers/stack.js';

const PROJECT: FileTree = {
  'slipway.yaml': 'project: app\nrepo: registry.example.com/app\nimages:\n  web: {}\n',
  Dockerfile: 'FROM busybox:stable\nCOPY index.html /\n',
  'index.html': 'hi\n',
  'deploy/values.yaml': 'name: demo\n',
  'deploy/values.production.yaml': 'name: prod\n',
  'deploy/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{values.name}}\ndata:\n  extra: {{quote (default "none" values.extra)}}\n  image: {{images.web.ref}}\n',
};

describe('documented flags and variables', () => {
  it('SLIPWAY_ENV and SLIPWAY_VALUES act as --env and --values', () => {
    const dir = gitRepo({ ...PROJECT, 'more.yaml': 'extra: from-file\n' });
    const r = slipway(['render', '--dir', dir], { env: { SLIPWAY_ENV: 'production', SLIPWAY_VALUES: join(dir, 'more.yaml') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('name: prod\n  namespace: app-production');
    expect(r.stdout).toContain('extra: from-file');
  });

  it('--platform is part of the digest and shown by --explain', () => {
    const dir = gitRepo(PROJECT);
    const digest = (args: string[]) => (JSON.parse(slipway(['digest', '--dir', dir, '--output', 'json', ...args]).stdout) as { images: { digest: string }[] }).images[0]!.digest;
    expect(digest(['--platform', 'linux/arm64'])).not.toBe(digest([]));
    expect(digest(['--platform', 'linux/amd64'])).toBe(digest([]));
    expect(slipway(['digest', '--dir', dir, '--explain', '--platform', 'linux/arm64']).stdout).toContain('platform    linux/arm64');
  });

  it('--parallel 1 builds one image at a time, in dependency order', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    cpSync(join(ROOT, 'examples/shop'), dir, { recursive: true });
    commitAll(dir);
    const r = await slipwayAsync(['build', '--dir', dir, '--repo', uniqueRepo('par'), '--parallel', '1', '--output', 'json'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST } });
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; id?: string })
      .filter((e) => e.kind === 'step-start' || e.kind === 'step-done');
    // Never two images in flight: every start is followed by its own done.
    for (let i = 0; i < steps.length; i += 2) expect([steps[i]!.kind, steps[i + 1]!.kind, steps[i]!.id]).toEqual(['step-start', 'step-done', steps[i + 1]!.id]);
    const order = steps.filter((s) => s.kind === 'step-start').map((s) => s.id);
    expect(order[0]).toBe('api'); // migrate and worker need it
    expect([...order].sort()).toEqual(['api', 'migrate', 'worker']);
  });
});

describe('registries reached over plain HTTP, and image indexes', () => {
  const index = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}');
  const digest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/v2/') return res.writeHead(200).end('{}');
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Docker-Content-Digest': digest }).end(index);
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it('an image index counts as present and pins to its digest', async () => {
    const r = await slipwayAsync(['render', '--dir', gitRepo(PROJECT), '--resolve', '--repo', `127.0.0.1:${port}/app`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`@${digest}`);
  });

  // A non-loopback address of this machine: registries there are HTTPS unless --insecure-registry.
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  it.skipIf(!address)('--insecure-registry: plain HTTP only for the registry named', async () => {
    const registry = `${address}:${port}`;
    const https = await slipwayAsync(['render', '--dir', gitRepo(PROJECT), '--resolve', '--repo', `${registry}/app`]);
    expect(https.code).toBe(3);
    expect(https.stderr).toContain(`registry ${registry}`);
    const plain = await slipwayAsync(['render', '--dir', gitRepo(PROJECT), '--resolve', '--repo', `${registry}/app`, '--insecure-registry', registry]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`${registry}/app/web:`);
  });
});
