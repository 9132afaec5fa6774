// The pull tests need a real registry and the docker kubelet a real engine: the repository's local
// stack provides both. As vitest globalSetup it brings the stack up (idempotent, instant when it
// runs already); stackEnv() reads what `stack up` recorded.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));

export default function setup(): void {
  const r = spawnSync(process.execPath, ['scripts/stack.mjs', 'up'], { cwd: REPOSITORY, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm run stack -- up failed:\n${r.stderr}`);
}

export function stackEnv(): { DOCKER_HOST: string; SLIPWAY_TEST_REGISTRY: string } {
  return JSON.parse(readFileSync(`${REPOSITORY}.stack/env.json`, 'utf8'));
}
