// SPEC 5a against the real engine and registry: the same digest gives the same image bytes
// after a full wipe of the engine, on a second independent engine, and in a race of two.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeLayer } from '../src/core/image/image-diff.js';
import { indexTar } from '../src/core/image/tar-index.js';
import { ROOT, slipway, slipwayAsync } from './helpers/cli.js';
import { commitAll, git, gitRepo, tempDir } from './helpers/git-fixture.js';
import { startSecondEngine, type SecondEngine } from './helpers/second-engine.js';
import { stackEnv, uniqueRepo } from './helpers/stack.js';

interface BuildJson {
  images: { name: string; ref: string; built: boolean; manifest: string; commit?: string }[];
}

const registry = () => `http://${stackEnv().SLIPWAY_TEST_REGISTRY}`;
const docker = (args: string[], host = stackEnv().DOCKER_HOST) => execFileSync('/usr/bin/docker', args, { env: { ...process.env, DOCKER_HOST: host }, encoding: 'utf8' });

function exampleRepo(name: string): string {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  cpSync(join(ROOT, 'examples', name), dir, { recursive: true });
  commitAll(dir, name);
  return dir;
}

function build(dir: string, repo: string, host = stackEnv().DOCKER_HOST): BuildJson {
  const r = slipway(['build', '--dir', dir, '--repo', repo, '--output', 'json'], { env: { DOCKER_HOST: host } });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as BuildJson;
}

async function buildAsync(dir: string, repo: string, host: string): Promise<BuildJson> {
  const r = await slipwayAsync(['build', '--dir', dir, '--repo', repo, '--output', 'json'], { env: { DOCKER_HOST: host } });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as BuildJson;
}

const manifests = (json: BuildJson) => Object.fromEntries(json.images.map((i) => [i.name, i.manifest]));

/** Deletes the images' tags from the registry (by manifest digest, as cleanup does). */
async function deleteTags(json: BuildJson): Promise<void> {
  for (const image of json.images) {
    const [, path, tag] = /^[^/]+\/(.+):([0-9a-f]{64})$/.exec(image.ref)!;
    const res = await fetch(`${registry()}/v2/${path}/manifests/${image.manifest}`, { method: 'DELETE' });
    expect(res.status, `${path}:${tag}`).toBe(202);
  }
}

/** Removes every image but the base, and the whole build cache, from an engine. */
function wipeEngine(host: string): void {
  const images = docker(['images', '--format', '{{.Repository}}:{{.Tag}}'], host).split('\n').filter((r) => r && !r.startsWith('busybox:'));
  if (images.length) docker(['rmi', '-f', ...images], host);
  docker(['builder', 'prune', '-af'], host);
}

async function registryJson(path: string): Promise<any> {
  const res = await fetch(`${registry()}/v2/${path}`, { headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
  expect(res.status).toBe(200);
  return res.json();
}

describe('reproducible images (SPEC 5a)', () => {
  let second: SecondEngine;
  beforeAll(async () => {
    second = await startSecondEngine();
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
  });

  it('examples/shop and examples/hello: the same manifest digests after a full wipe of the engine, and on a second engine', async () => {
    for (const example of ['shop', 'hello']) {
      const dir = exampleRepo(example);
      const repo = uniqueRepo(`repro-${example}`);
      // The wiped engine is the second one: tests running beside this one use the stack's.
      const first = build(dir, repo, second.host);
      expect(first.images.every((i) => i.built && i.commit === git(dir, 'rev-parse', 'HEAD').trim())).toBe(true);

      await deleteTags(first);
      wipeEngine(second.host);
      expect(docker(['images', '-q'], second.host).trim().split('\n')).toHaveLength(1); // busybox:stable only
      const again = build(dir, repo, second.host);
      expect(again.images.every((i) => i.built)).toBe(true);
      expect(manifests(again)).toEqual(manifests(first));

      await deleteTags(again);
      const elsewhere = build(dir, repo);
      expect(elsewhere.images.every((i) => i.built)).toBe(true);
      expect(manifests(elsewhere)).toEqual(manifests(first));
    }
  }, 300_000);

  it('the published image runs, with exactly the files, modes and owners Docker built; only mtimes are clamped', async () => {
    const dir = exampleRepo('hello');
    const repo = uniqueRepo('repro-run');
    const [web] = build(dir, repo).images;
    const served = docker(['run', '--rm', web!.ref, 'cat', '/www/index.html']);
    expect(served).toBe(readFileSync(join(dir, 'www/index.html'), 'utf8'));

    // The same Dockerfile built by the engine alone, as `docker build` keeps it.
    const tag = `slipway-test/plain-${Date.now()}`;
    execFileSync('/usr/bin/docker', ['build', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_HOST: stackEnv().DOCKER_HOST, DOCKER_BUILDKIT: '1' } });
    const saved = execFileSync('/usr/bin/docker', ['save', tag], { env: { ...process.env, DOCKER_HOST: stackEnv().DOCKER_HOST }, maxBuffer: 64 << 20 });
    docker(['rmi', tag]);
    const entries = indexTar((o, l) => saved.subarray(o, o + l), saved.length);
    const file = (name: string) => {
      const e = entries.find((x) => x.path === name)!;
      return saved.subarray(e.offset, e.offset + e.size);
    };
    const index = JSON.parse(file('manifest.json').toString('utf8')) as { Layers: string[] }[];
    const lastLayer = file(index[0]!.Layers.at(-1)!);
    const plain = summarizeLayer(lastLayer);

    const [path, tagPart] = [web!.ref.slice(web!.ref.indexOf('/') + 1, web!.ref.lastIndexOf(':')), web!.ref.slice(web!.ref.lastIndexOf(':') + 1)];
    const manifest = await registryJson(`${path}/manifests/${tagPart}`);
    const blob = Buffer.from(await (await fetch(`${registry()}/v2/${path}/blobs/${manifest.layers.at(-1).digest}`)).arrayBuffer());
    const published = summarizeLayer(gunzipSync(blob));

    const withoutMtime = (m: ReturnType<typeof summarizeLayer>) => Object.fromEntries([...m].map(([p, s]) => [p, { ...s, mtime: 0 }]));
    expect(withoutMtime(published)).toEqual(withoutMtime(plain));
    expect([...published.values()].every((s) => s.mtime === 0)).toBe(true);
    expect([...plain.values()].some((s) => s.mtime > 0)).toBe(true);
    const config = await registryJson(`${path}/blobs/${manifest.config.digest}`);
    expect(config.created).toBe('1970-01-01T00:00:00Z');
    expect(config.config.Labels).not.toHaveProperty(['org.opencontainers.image.revision']);
  }, 120_000);

  it('a race of two builds of one digest on two engines pushes one set of bytes', async () => {
    const dir = exampleRepo('shop');
    const repo = uniqueRepo('repro-race');
    const [a, b] = await Promise.all([buildAsync(dir, repo, stackEnv().DOCKER_HOST), buildAsync(dir, repo, second.host)]);
    expect(manifests(a)).toEqual(manifests(b));
    for (const image of a.images) {
      const [, path, tag] = /^[^/]+\/(.+):([0-9a-f]{64})$/.exec(image.ref)!;
      const res = await fetch(`${registry()}/v2/${path}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
      expect(res.headers.get('docker-content-digest')).toBe(image.manifest);
    }
  }, 300_000);

  it('verify: exit 0 when a rebuild reproduces the image; exit 1 naming /stamp and both content hashes when RUN writes the time', async () => {
    const shop = exampleRepo('shop');
    const repo = uniqueRepo('verify');
    build(shop, repo);
    const ok = slipway(['verify', '--dir', shop, '--repo', repo, '--output', 'json'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).images.map((i: { name: string; equal: boolean }) => [i.name, i.equal])).toEqual([
      ['api', true],
      ['migrate', true],
      ['worker', true],
    ]);
    const hello = exampleRepo('hello');
    build(hello, repo);
    const helloOk = slipway(['verify', '--dir', hello, '--repo', repo], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST } });
    expect(helloOk.code, helloOk.stderr).toBe(0);
    expect(helloOk.stdout).toMatch(/^web\s+\S+:[0-9a-f]{64}\s+reproduced sha256:[0-9a-f]{64}$/m);

    const stamped = gitRepo({
      'slipway.yaml': 'project: stamped\nimages:\n  app:\n    context: .\n',
      Dockerfile: 'FROM busybox:stable\nRUN date > /stamp\nCMD ["cat", "/stamp"]\n',
    });
    build(stamped, repo);
    const second = Math.floor(Date.now() / 1000);
    while (Math.floor(Date.now() / 1000) === second) await new Promise((r) => setTimeout(r, 100));
    const bad = slipway(['verify', '--dir', stamped, '--repo', repo, '--output', 'json'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST } });
    expect(bad.code, bad.stderr).toBe(1);
    const [app] = JSON.parse(bad.stdout).images as { equal: boolean; differences: string[] }[];
    expect(app!.equal).toBe(false);
    const stamp = app!.differences.find((d) => d.trim().startsWith('/stamp:'));
    expect(stamp).toMatch(/^\s*\/stamp: content sha256:[0-9a-f]{64} → sha256:[0-9a-f]{64}$/);
    expect(bad.stderr).toContain('not reproducible: app');
    expect(bad.stderr).toContain('/stamp: content sha256:');
  }, 300_000);
});
