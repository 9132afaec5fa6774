// `npm run bench`: prints figures, asserts nothing. Synthetic repositories of 1k, 10k and 100k
// files with 5 images each: median time of `slipway digest` and of `git ls-tree -r HEAD`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convergeFigures } from './converge.mjs';
import { kubesimFigures } from './kubesim-rollout.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/slipway');
const IMAGES = 5;
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Builds the repository with one `git fast-import` stream: fast even for 100k files. */
function syntheticRepo(files) {
  const dir = mkdtempSync(join(tmpdir(), `slipway-bench-${files}-`));
  spawnSync('git', ['init', '-q', '-b', 'main', dir], { env: GIT_ENV });
  const lines = [];
  const add = (path, content) => lines.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  const config = ['project: bench', 'repo: 127.0.0.1:5000/bench', 'images:'];
  for (let i = 0; i < IMAGES; i++) {
    config.push(`  s${i}:`, `    context: services/s${i}`);
    add(`services/s${i}/Dockerfile`, 'FROM scratch\nCOPY package.json /app/\nCOPY src/ /app/src/\n');
    add(`services/s${i}/.dockerignore`, '**/*.md\n');
    add(`services/s${i}/package.json`, `{"name":"s${i}"}\n`);
  }
  add('slipway.yaml', `${config.join('\n')}\n`);
  const remaining = files - IMAGES * 3 - 1;
  for (let n = 0; n < remaining; n++) {
    // Four fifths inside the images' sources, the rest elsewhere in the repository.
    const path = n % 5 === 4 ? `docs/d${n % 97}/f${n}.md` : `services/s${Math.floor(n / 5) % IMAGES}/src/m${n % 89}/f${n}.${n % 7 === 0 ? 'md' : 'js'}`;
    add(path, `export const v${n} = ${n};\n`);
  }
  const stream = `commit refs/heads/main\ncommitter bench <bench@example.com> 1767225600 +0000\ndata 5\nbench\n${lines.join('')}\n`;
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream, env: GIT_ENV, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`fast-import: ${r.stderr}`);
  spawnSync('git', ['checkout', '-q', 'main'], { cwd: dir, env: GIT_ENV });
  return dir;
}

function timeRuns(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, CI: '1' }, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** No-op and cold `slipway build` of examples/shop against the local stack (npm run stack -- up). */
function buildFigures() {
  const up = spawnSync(process.execPath, [join(ROOT, 'scripts/stack.mjs'), 'up'], { encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`stack up failed: ${up.stderr}`);
  const env = { ...process.env, ...JSON.parse(readFileSync(join(ROOT, '.stack/env.json'), 'utf8')), CI: '1' };
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-shop-'));
  try {
    cpSync(join(ROOT, 'examples/shop'), dir, { recursive: true });
    run('git', ['init', '-q', '-b', 'main'], dir);
    run('git', ['add', '-A'], dir);
    spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'shop'], { cwd: dir, env: GIT_ENV });
    const build = (repo) => {
      const r = spawnSync(process.execPath, [BIN, 'build', '--dir', dir, '--repo', repo], { cwd: dir, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`slipway build: exit ${r.status}\n${r.stderr}`);
    };
    const registry = env.SLIPWAY_TEST_REGISTRY;
    let n = 0;
    // Cold: a repository the registry has never seen and an empty BuildKit cache.
    const coldMs = timeRuns(3, () => {
      spawnSync('docker', ['builder', 'prune', '-af'], { env, stdio: 'ignore' });
      build(`${registry}/bench-cold-${process.pid}-${n++}`);
    });
    const warm = `${registry}/bench-noop-${process.pid}`;
    build(warm);
    const noopMs = timeRuns(5, () => build(warm));
    return { coldMs, noopMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const files of [1_000, 10_000, 100_000]) {
  const dir = syntheticRepo(files);
  try {
    const runs = files >= 100_000 ? 3 : 5;
    const images = run(process.execPath, [BIN, 'digest', '--dir', dir], dir).trim().split('\n').length;
    const digestMs = timeRuns(runs, () => run(process.execPath, [BIN, 'digest', '--dir', dir], dir));
    const lsTreeMs = timeRuns(runs, () => run('git', ['ls-tree', '-r', 'HEAD'], dir));
    rows.push({ files, images, runs, digestMs, lsTreeMs });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { coldMs, noopMs } = buildFigures();
const rollout = await kubesimFigures(ROOT);
const deploy = await convergeFigures(ROOT);
console.log('slipway digest vs git ls-tree -r HEAD (median wall time)');
console.log('files     images  runs  digest ms  ls-tree ms  ratio');
for (const r of rows) {
  console.log(
    `${String(r.files).padEnd(9)} ${String(r.images).padEnd(7)} ${String(r.runs).padEnd(5)} ${r.digestMs.toFixed(0).padStart(9)}  ${r.lsTreeMs.toFixed(0).padStart(10)}  ${(r.digestMs / r.lsTreeMs).toFixed(1).padStart(5)}x`,
  );
}

console.log('');
console.log('slipway build of examples/shop (3 images; median wall time)');
console.log(`no-op (all present, no Docker call)  ${noopMs.toFixed(0).padStart(6)} ms  (5 runs)`);
console.log(`cold (empty build cache, new repo)   ${coldMs.toFixed(0).padStart(6)} ms  (3 runs)`);

console.log('');
console.log('kubesim (fake kubelet): a 200-pod Deployment, until kubectl rollout status returns');
console.log(`create                              ${rollout.createMs.toFixed(0).padStart(6)} ms`);
console.log(`image change (rolling update)       ${rollout.updateMs.toFixed(0).padStart(6)} ms`);

console.log('');
console.log('converge of examples/shop on the local kubesim (docker kubelet; median of 5)');
console.log(`slipway converge, no-op                      ${deploy.noopMs.toFixed(0).padStart(6)} ms`);
console.log(`kubectl apply --server-side + rollout status ${deploy.kubectlMs.toFixed(0).padStart(6)} ms  (ratio ${(deploy.noopMs / deploy.kubectlMs).toFixed(1)}x)`);
console.log(`CrashLoopBackOff seen -> slipway exits       ${deploy.crashMs.toFixed(0).padStart(6)} ms`);
