// How `slipway build` sends each build context, end to end on the stack's engine: over a BuildKit
// session where no RUN step could read a context directory's time, as a tar otherwise, and the
// same image bytes either way: `verify` with SLIPWAY_BUILD_SESSION=0 rebuilds every image from a
// tar, without the engine's cache, and finds the manifests pushed after a session build.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, slipway } from './helpers/cli.js';
import { commitAll, git, tempDir } from './helpers/git-fixture.js';
import { stackEnv, uniqueRepo } from './helpers/stack.js';

function build(dir: string, repo: string, env: Record<string, string> = {}) {
  const r = slipway(['build', '--dir', dir, '--repo', repo, '--output', 'json', '--verbose'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST, ...env } });
  expect(r.code, r.stderr).toBe(0);
  const images = (JSON.parse(r.stdout) as { images: { name: string; manifest: string }[] }).images;
  const transport = (name: string) => {
    const session = r.stderr.includes(`${name} | [internal] load build context`);
    const tar = r.stderr.includes(`${name} | [internal] load remote build context`);
    return session && !tar ? 'session' : tar && !session ? 'tar' : 'unclear';
  };
  return { manifests: Object.fromEntries(images.map((i) => [i.name, i.manifest])), transports: Object.fromEntries(images.map((i) => [i.name, transport(i.name)])) };
}

describe('build context transport', () => {
  it('examples/shop: api (COPY src/ then RUN) as a tar, worker and migrate over a session; rebuilt as tars without cache, the same manifests', () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    cpSync(join(ROOT, 'examples/shop'), dir, { recursive: true });
    commitAll(dir, 'shop');
    const repo = uniqueRepo('transport');
    const usual = build(dir, repo);
    expect(usual.transports).toEqual({ api: 'tar', worker: 'session', migrate: 'session' });
    // verify rebuilds without the engine's cache: every image again, each context as a tar.
    const verified = slipway(['verify', '--dir', dir, '--repo', repo, '--verbose'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST, SLIPWAY_BUILD_SESSION: '0' } });
    expect(verified.code, verified.stderr).toBe(0);
    for (const name of ['api', 'worker', 'migrate']) {
      expect(verified.stdout).toContain(`${name}  `);
      expect(verified.stdout).toContain(`reproduced ${usual.manifests[name]}`);
      expect(verified.stderr).toContain(`${name} | [internal] load remote build context`);
    }
    expect(verified.stderr).not.toContain('[internal] load build context');
  }, 180_000);
});
