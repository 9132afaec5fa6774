// `slipway build` against the real Docker engine and registry of the local stack.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, slipway, slipwayAsync } from './helpers/cli.js';
import { commitAll, git, tempDir, writeTree } from './helpers/git-fixture.js';
import { manifestDigest, stackEnv, uniqueRepo } from './helpers/stack.js';

interface BuildJson {
  ok: boolean;
  images: { name: string; ref: string; digest: string; built: boolean; present: boolean; manifest: string; seconds: number }[];
}

function shopRepo(): string {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  cpSync(join(ROOT, 'examples/shop'), dir, { recursive: true });
  commitAll(dir, 'shop');
  return dir;
}

function build(dir: string, repo: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = slipway(['build', '--dir', dir, '--repo', repo, '--output', 'json', ...extra], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST, ...env } });
  return { ...r, json: r.stdout ? (JSON.parse(r.stdout) as BuildJson) : undefined };
}

const builtNames = (json: BuildJson | undefined) => json!.images.filter((i) => i.built).map((i) => i.name).sort();
const docker = (...args: string[]) => execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: stackEnv().DOCKER_HOST }, encoding: 'utf8' });

describe('slipway build', () => {
  it('builds examples/shop once; the second run builds nothing and never talks to Docker', async () => {
    const dir = shopRepo();
    const repo = uniqueRepo('shop');
    const first = build(dir, repo);
    expect(first.code, first.stderr).toBe(0);
    expect(builtNames(first.json)).toEqual(['api', 'migrate', 'worker']);
    for (const image of first.json!.images) {
      expect(image.manifest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await manifestDigest(image.ref)).toBe(image.manifest);
    }

    const second = build(dir, repo, [], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(second.code, second.stderr).toBe(0);
    expect(second.json!.images.map((i) => [i.name, i.built, i.present])).toEqual([
      ['api', false, true],
      ['migrate', false, true],
      ['worker', false, true],
    ]);
    expect(second.json!.images.map((i) => i.manifest)).toEqual(first.json!.images.map((i) => i.manifest));

    const text = slipway(['build', '--dir', dir, '--repo', repo], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(text.stdout).toMatch(new RegExp(`^api\\s+${repo}/api:[0-9a-f]{64}\\s+present$`, 'm'));
  });

  it('a changed file rebuilds exactly the images it reaches and their dependents', () => {
    const dir = shopRepo();
    const repo = uniqueRepo('shop');
    expect(build(dir, repo).code).toBe(0);

    writeTree(dir, { 'services/worker/worker.sh': '#!/bin/sh\necho worker v2\n' });
    commitAll(dir);
    expect(builtNames(build(dir, repo).json)).toEqual(['worker']);

    writeTree(dir, { 'services/api/migrations/003_index.sql': 'CREATE INDEX o ON orders(status);\n' });
    commitAll(dir);
    expect(builtNames(build(dir, repo).json)).toEqual(['migrate']);

    writeTree(dir, { 'services/api/lib.sh': 'respond_json() { printf "%s\\n" "$1"; }\n' });
    commitAll(dir);
    // api copies lib.sh; worker copies from api; migrate is FROM api (dependencies:).
    expect(builtNames(build(dir, repo).json)).toEqual(['api', 'migrate', 'worker']);

    writeTree(dir, { 'services/api/README.md': 'ignored by .dockerignore\n', 'services/api/docs/more.txt': 'ignored\n' });
    commitAll(dir);
    expect(builtNames(build(dir, repo).json)).toEqual([]);
  });

  it('the image carries the labels and exactly the committed files, not working-tree edits', () => {
    const dir = shopRepo();
    const repo = uniqueRepo('shop');
    const commit = git(dir, 'rev-parse', 'HEAD').trim();
    writeTree(dir, { 'services/api/lib.sh': 'UNCOMMITTED EDIT\n', 'services/api/src/handlers/new.sh': 'untracked\n' });
    const r = build(dir, repo, ['api', '--commit', commit]);
    expect(r.code, r.stderr).toBe(0);
    const api = r.json!.images.find((i) => i.name === 'api')!;
    // The engine keeps no local tag of the published image: it is pulled as any consumer would.
    docker('pull', '-q', api.ref);
    const labels = JSON.parse(docker('image', 'inspect', api.ref, '--format', '{{json .Config.Labels}}')) as Record<string, string>;
    // Only what the digest decides; the commit is in the build output (and the build record), not in the image.
    expect(labels).toEqual({ 'dev.slipway.digest': api.digest, 'dev.slipway.project': 'shop' });
    expect((r.json!.images.find((i) => i.name === 'api') as { commit?: string }).commit).toBe(commit);
    const files = docker('run', '--rm', api.ref, 'sh', '-c', 'find /www /app -type f | sort; cat /app/lib.sh').trim().split('\n');
    expect(files.slice(0, 4)).toEqual(['/app/lib.sh', '/www/cgi-bin/health.sh', '/www/cgi-bin/orders.sh', '/www/status.json']);
    expect(files.slice(4).join('\n')).toBe(git(dir, 'show', `${commit}:services/api/lib.sh`).trim());
  });

  // What the registry allows us to guarantee: it has no conditional tag write, so two builds that
  // both pass the re-check just before the push can both push (SPEC 9a, README). What must hold:
  // both runs succeed, a run that saw the tag before pushing never pushes, and each run reports
  // a manifest the registry really held for the tag.
  it('two builds of the same digest racing: both succeed and report a manifest the registry held', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeTree(dir, {
      'slipway.yaml': 'project: race\nimages:\n  app: {}\n',
      Dockerfile: 'FROM busybox:stable\nCOPY app.txt /app.txt\nRUN sleep 1 && date > /built-at\n',
      'app.txt': 'race\n',
    });
    commitAll(dir);
    const repo = uniqueRepo('race');
    const env = { ...process.env, DOCKER_HOST: stackEnv().DOCKER_HOST, NO_COLOR: '1', CI: '' };
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin/slipway'), 'build', '--dir', dir, '--repo', repo, '--output', 'json'], { env });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    const ref = (JSON.parse(slipway(['digest', '--dir', dir, '--repo', repo, '--output', 'json']).stdout) as BuildJson).images[0]!.ref;
    const seen = new Set<string>();
    let racing = true;
    const poll = (async () => {
      while (racing) {
        const digest = await manifestDigest(ref);
        if (digest) seen.add(digest);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const [a, b] = await Promise.all([run(), run()]);
    racing = false;
    await poll;
    expect([a.code, b.code]).toEqual([0, 0]);
    const [ja, jb] = [a.out, b.out].map((o) => (JSON.parse(o) as BuildJson).images[0]!);
    const final = await manifestDigest(ja!.ref);
    expect(final).toMatch(/^sha256:/);
    // Each report is a manifest the registry held for the tag (observed by the poller or final).
    const held = new Set([...seen, final]);
    expect(held.has(ja!.manifest!)).toBe(true);
    expect(held.has(jb!.manifest!)).toBe(true);
    // At most the two builds ever held the tag; once a run reports "present", it pushed nothing.
    expect(seen.size).toBeLessThanOrEqual(2);
    if (!ja!.built || !jb!.built) expect([...seen]).toEqual([final]);
  });

  it('six runs of one fresh commit sharing one engine all exit 0 and report the manifest the registry kept', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeTree(dir, {
      'slipway.yaml': 'project: shared\nimages:\n  app: {}\n',
      Dockerfile: 'FROM busybox:stable\nCOPY app.txt /app.txt\n',
      'app.txt': `shared ${Math.random()}\n`,
    });
    commitAll(dir);
    const repo = uniqueRepo('shared');
    const env = { DOCKER_HOST: stackEnv().DOCKER_HOST };
    const runs = await Promise.all(Array.from({ length: 6 }, () => slipwayAsync(['build', '--dir', dir, '--repo', repo, '--output', 'json'], { env })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const images = runs.map((r) => (JSON.parse(r.stdout) as BuildJson).images[0]!);
    const kept = await manifestDigest(images[0]!.ref);
    expect(kept).toMatch(/^sha256:/);
    for (const i of images) expect(i.manifest).toBe(kept);
    // No run left its own build tag behind in the engine (nor a local tag of the published image).
    const tags = spawnSync('docker', ['images', '--format', '{{.Tag}}', `${repo}/app`], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(tags.status).toBe(0);
    expect(tags.stdout.trim()).toBe('');
  });
});

describe('the layer cache (SLIPWAY_CACHE_DIR)', () => {
  const project = (text: string) => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeTree(dir, { 'slipway.yaml': 'project: cached\nimages:\n  web:\n    context: .\n', Dockerfile: 'FROM busybox:stable\nCOPY app.txt /app.txt\n', 'app.txt': text });
    commitAll(dir, 'cached');
    return dir;
  };
  const repositoryOf = (ref: string) => ref.slice(ref.indexOf('/') + 1, ref.lastIndexOf(':'));
  const layersOf = async (ref: string) => {
    const res = await fetch(`http://${ref.slice(0, ref.indexOf('/'))}/v2/${repositoryOf(ref)}/manifests/${ref.slice(ref.lastIndexOf(':') + 1)}`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { layers: { digest: string; size: number }[] }).layers;
  };

  it('a base layer compressed once is mounted by later builds; a stale entry falls back to compressing', async () => {
    const cache = tempDir();
    const first = build(project('one\n'), uniqueRepo('cached'), [], { SLIPWAY_CACHE_DIR: cache });
    expect(first.code, first.stderr).toBe(0);
    const base = (await layersOf(first.json!.images[0]!.ref))[0]!;
    const schemes = readdirSync(join(cache, 'layers'));
    expect(schemes).toEqual([expect.stringMatching(/^pako-[\d.]+-level-\d$/)]);
    const entries = readdirSync(join(cache, 'layers', schemes[0]!));
    expect(entries).toHaveLength(1);
    const entryFile = join(cache, 'layers', schemes[0]!, entries[0]!);
    const entry = JSON.parse(readFileSync(entryFile, 'utf8')) as { digest: string; size: number; repository: string };
    expect(entry).toMatchObject({ digest: base.digest, size: base.size, repository: repositoryOf(first.json!.images[0]!.ref) });

    // Mounted: the same base blob in another repository, the image complete.
    const second = build(project('two\n'), uniqueRepo('cached'), [], { SLIPWAY_CACHE_DIR: cache });
    expect(second.code, second.stderr).toBe(0);
    expect((await layersOf(second.json!.images[0]!.ref))[0]!.digest).toBe(base.digest);
    docker('pull', '-q', second.json!.images[0]!.ref);

    // An entry naming a repository that lacks the blob: the mount fails and the layer is compressed and uploaded.
    writeFileSync(entryFile, JSON.stringify({ ...entry, repository: 'nowhere/gone' }));
    const third = build(project('three\n'), uniqueRepo('cached'), [], { SLIPWAY_CACHE_DIR: cache });
    expect(third.code, third.stderr).toBe(0);
    expect((await layersOf(third.json!.images[0]!.ref))[0]!.digest).toBe(base.digest);
    docker('pull', '-q', third.json!.images[0]!.ref);
  });
});
