// `npm run bench:profile`: where a digest's time goes, from V8's CPU profiles (`node --cpu-prof`)
// of several runs over the bench's synthetic repositories. Self time is summed per bucket: garbage
// collection, idle (waiting for git), then slipway's functions by name and file. Printed only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticRepo } from './ratios.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/slipway');
const RUNS = 5;
const TOP = 18;

function digest(dir, profiles) {
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', profiles, BIN, 'digest', '--dir', dir], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`slipway digest: exit ${r.status}\n${r.stderr}`);
}

/** Self milliseconds per bucket, over every profile in `dir`, divided by the number of runs. */
function selfTimes(dir) {
  const totals = new Map();
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  let wall = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    wall += (profile.endTime - profile.startTime) / 1000;
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url ? `${url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/').replace(/^node:/, 'node:')}:${lineNumber + 1}` : '';
      const key = functionName.startsWith('(') ? functionName : `${functionName || '(anonymous)'} ${where}`;
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  const runs = files.length;
  return { runs, wallMs: wall / runs, rows: [...totals].map(([what, ms]) => ({ what, ms: ms / runs })).sort((a, b) => b.ms - a.ms) };
}

for (const [images, perImage, label] of [[3, 10_000, '3 images x 10k files'], [3, 33_334, '100k files']]) {
  const repo = syntheticRepo(images, perImage);
  const profiles = mkdtempSync(join(tmpdir(), 'slipway-profile-'));
  const warmUp = mkdtempSync(join(tmpdir(), 'slipway-warm-up-'));
  try {
    digest(repo, warmUp); // writes the code cache, as the bench's warm-up does
    for (let i = 0; i < RUNS; i++) digest(repo, profiles);
    const { runs, wallMs, rows } = selfTimes(profiles);
    console.log(`digest, ${label}: ${runs} runs, ${wallMs.toFixed(0)} ms profiled per run (sampling at 200 us inflates it), self time per run:`);
    for (const { what, ms } of rows.slice(0, TOP)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${what}`);
    const rest = rows.slice(TOP).reduce((sum, r) => sum + r.ms, 0);
    console.log(`${rest.toFixed(1).padStart(8)} ms  (${rows.length - TOP} more)`);
    console.log('');
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(profiles, { recursive: true, force: true });
    rmSync(warmUp, { recursive: true, force: true });
  }
}
