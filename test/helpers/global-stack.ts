// vitest globalSetup: the local stack (Docker engine, registry, busybox) must be up; `stack up`
// is idempotent, so this is instant when .ci/run or a developer already started it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const r = spawnSync(process.execPath, ['scripts/stack.mjs', 'up'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm run stack -- up failed:\n${r.stderr}`);
  // kubesim's own tests take the registry and engine from the environment (packages/kubesim/test/engine.ts).
  const env = JSON.parse(readFileSync(join(root, '.stack/env.json'), 'utf8')) as { DOCKER_HOST: string; SLIPWAY_TEST_REGISTRY: string };
  process.env.KUBESIM_TEST_REGISTRY = env.SLIPWAY_TEST_REGISTRY;
  process.env.KUBESIM_TEST_DOCKER_HOST = env.DOCKER_HOST;
  // A shell that ran `eval "$(npm run stack -- env)"` exports SLIPWAY_REPO; the tests name their
  // repositories themselves, and that default would override the ones their projects configure.
  delete process.env.SLIPWAY_REPO;
  // The layer cache of this run only: not the developer's ~/.cache, and nothing from a run before.
  process.env.SLIPWAY_CACHE_DIR = mkdtempSync(join(tmpdir(), 'slipway-test-cache-'));
}
