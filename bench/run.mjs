// `npm run bench`: prints figures, asserts nothing. The speed targets of issue 13 as paired
// ratios (bench/ratios.mjs), then kubesim's own rollout figures and the fail-fast time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convergeFigures } from './converge.mjs';
import { kubesimFigures } from './kubesim-rollout.mjs';
import { printRatios, ratioFigures } from './ratios.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/slipway');

const up = spawnSync(process.execPath, [join(ROOT, 'scripts/stack.mjs'), 'up'], { encoding: 'utf8' });
if (up.status !== 0) throw new Error(`stack up failed: ${up.stderr}`);
const stackEnv = JSON.parse(readFileSync(join(ROOT, '.stack/env.json'), 'utf8'));

const rows = ratioFigures(ROOT, BIN, stackEnv);
const deploy = await convergeFigures(ROOT);
const rollout = await kubesimFigures(ROOT);

printRatios(rows, [
  // "at least 2x faster than kubectl": slipway / kubectl <= 0.5.
  { what: 'no-op converge examples/shop', slipwayMs: deploy.noopMs, baselineMs: deploy.kubectlMs, baseline: 'kubectl apply --server-side + rollout status', target: 2, inverse: true },
  { what: 'no-op converge examples/shop', slipwayMs: deploy.noopMs, baselineMs: deploy.leastMs, baseline: 'no-op slipway build + one server-side apply per object', target: 1.5 },
]);
console.log('');
console.log(`machine: ${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores; ${new Date().toISOString().slice(0, 10)}`);
console.log('');
console.log('kubesim (fake kubelet): a 200-pod Deployment, until kubectl rollout status returns');
console.log(`create                              ${rollout.createMs.toFixed(0).padStart(6)} ms`);
console.log(`image change (rolling update)       ${rollout.updateMs.toFixed(0).padStart(6)} ms`);
console.log('');
console.log(`CrashLoopBackOff seen -> slipway converge exits: ${deploy.crashMs.toFixed(0)} ms`);
