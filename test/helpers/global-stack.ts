// vitest globalSetup: the local stack (Docker engine, registry, busybox) must be up; `stack up`
// is idempotent, so this is instant when .ci/run or a developer already started it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const r = spawnSync(process.execPath, ['scripts/stack.mjs', 'up'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm run stack -- up failed:\n${r.stderr}`);
}
