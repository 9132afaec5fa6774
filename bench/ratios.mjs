// The speed targets of issue 13 as ratios, each from runs paired in one invocation: slipway and
// its baseline alternate, and each side's median is taken. Printed, never asserted.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

const GIT_FLOOR = `const { spawn } = require('node:child_process');
for (const args of [['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']]) spawn('git', args, { stdio: ['ignore', 'pipe', 'inherit'] }).stdout.resume();`;

// The least any digest can do with the listing: read it into Node, hashing the bytes as they
// come (no parsing, no slipway code), while `git status` runs beside it.
const GIT_READ_FLOOR = `const { spawn } = require('node:child_process');
const hash = require('node:crypto').createHash('sha256');
spawn('git', ['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], { stdio: ['ignore', 'pipe', 'inherit'] }).stdout.on('data', (c) => hash.update(c)).on('end', () => hash.digest());
spawn('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], { stdio: ['ignore', 'pipe', 'inherit'] }).stdout.resume();`;

/** The read floor, plus loading slipway's own script from its digest code cache (not running it). */
function loadFloor(root) {
  const script = join(root, 'dist/bundle/slipway.cjs');
  const build = /slipway-build=([0-9a-f]+)\s*$/.exec(readFileSync(script, 'latin1').slice(-64))?.[1];
  const cache = join(root, 'dist/bundle/cache', `digest-${build}-${process.arch}-${process.versions.v8}.bin`);
  if (!build || !existsSync(cache)) return undefined;
  return `${GIT_READ_FLOOR}
const { readFileSync } = require('node:fs');
const code = new (require('node:vm').Script)(readFileSync(${JSON.stringify(script)}, 'latin1'), { filename: ${JSON.stringify(script)}, cachedData: readFileSync(${JSON.stringify(cache)}) });
if (code.cachedDataRejected) throw new Error('code cache rejected');
code.runInThisContext();`;
}

const ms = (fn) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Alternates the two sides `runs` times (after one warm-up of each); medians of both. */
export function paired(runs, slipway, baseline) {
  slipway();
  baseline();
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(ms(slipway));
    b.push(ms(baseline));
  }
  return { slipwayMs: median(a), baselineMs: median(b) };
}

/** `images` images, each with `perImage` files in its context, in one fast-import. */
export function syntheticRepo(images, perImage) {
  const dir = mkdtempSync(join(tmpdir(), `slipway-bench-${images}x${perImage}-`));
  run('git', ['init', '-q', '-b', 'main', dir], { env: GIT_ENV });
  const lines = [];
  const add = (path, content) => lines.push(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  const config = ['project: bench', 'repo: 127.0.0.1:5000/bench', 'images:'];
  for (let i = 0; i < images; i++) {
    config.push(`  s${i}:`, `    context: services/s${i}`);
    add(`services/s${i}/Dockerfile`, 'FROM scratch\nCOPY package.json /app/\nCOPY src/ /app/src/\n');
    add(`services/s${i}/package.json`, `{"name":"s${i}"}\n`);
    for (let n = 0; n < perImage - 2; n++) add(`services/s${i}/src/m${n % 89}/f${n}.js`, `export const v${n} = ${n};\n`);
  }
  add('slipway.yaml', `${config.join('\n')}\n`);
  run('git', ['fast-import', '--quiet'], { cwd: dir, env: GIT_ENV, input: `commit refs/heads/main\ncommitter b <b@example.com> 1767225600 +0000\ndata 5\nbench\n${lines.join('')}\n` });
  run('git', ['checkout', '-q', 'main'], { cwd: dir, env: GIT_ENV });
  return dir;
}

export function committedExample(root, name) {
  const dir = mkdtempSync(join(tmpdir(), `slipway-bench-${name}-`));
  cpSync(join(root, 'examples', name), dir, { recursive: true });
  run('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: GIT_ENV });
  run('git', ['add', '-A'], { cwd: dir, env: GIT_ENV });
  run('git', ['commit', '-qm', 'bench'], { cwd: dir, env: GIT_ENV });
  return dir;
}

/** A node process that HEADs each manifest once (the least a no-op build must do). */
function headManifests(refs) {
  const script = `const http=require('node:http');(async()=>{for(const r of ${JSON.stringify(refs)}){const m=/^([^/]+)\\/(.+):([^:]+)$/.exec(r);await new Promise((ok,ko)=>http.request({host:m[1].split(':')[0],port:m[1].split(':')[1],path:'/v2/'+m[2]+'/manifests/'+m[3],method:'HEAD',headers:{Accept:'application/vnd.docker.distribution.manifest.v2+json'}},(res)=>{res.resume();res.on('end',ok)}).on('error',ko).end())}})()`;
  return () => run(process.execPath, ['-e', script]);
}

/** docker build + docker push of examples/shop's three images by hand (what slipway automates). */
function handBuild(dir, registry, env) {
  return (tag) => {
    const repo = `${registry}/bench-hand-${tag}`;
    // The engine has no bridge network (dockerd --bridge=none): RUN steps get none, as slipway's builds.
    const docker = (cmd, ...args) => run('/usr/bin/docker', cmd === 'build' ? [cmd, '--network', 'none', ...args] : [cmd, ...args], { env: { ...env, DOCKER_BUILDKIT: '1' } });
    docker('build', '-q', '--target', 'runtime', '--build-arg', 'API_VERSION=1', '-t', `${repo}/api:x`, join(dir, 'services/api'));
    docker('push', '-q', `${repo}/api:x`);
    const worker = readFileSync(join(dir, 'services/worker/Dockerfile'), 'utf8').replace('--from=api', `--from=${repo}/api:x`);
    writeFileSync(join(dir, 'services/worker/Dockerfile.hand'), worker);
    docker('build', '-q', '-f', join(dir, 'services/worker/Dockerfile.hand'), '-t', `${repo}/worker:x`, join(dir, 'services/worker'));
    docker('build', '-q', '-f', join(dir, 'services/api/Dockerfile.migrate'), '--build-arg', `API_IMAGE=${repo}/api:x`, '-t', `${repo}/migrate:x`, join(dir, 'services/api'));
    docker('push', '-q', `${repo}/worker:x`);
    docker('push', '-q', `${repo}/migrate:x`);
  };
}

export function ratioFigures(root, bin, stackEnv) {
  const env = { ...process.env, ...stackEnv, CI: '1' };
  const slipway = (args, cwd) => () => run(process.execPath, [bin, ...args], { cwd, env });
  const nodeZero = () => run(process.execPath, ['-e', '0']);
  const rows = [];
  const row = (what, { slipwayMs, baselineMs }, baseline, target) => rows.push({ what, slipwayMs, baselineMs, baseline, target });

  for (const [images, perImage, label] of [[3, 10_000, '3 images x 10k files'], [3, 33_334, '100k files']]) {
    const dir = syntheticRepo(images, perImage);
    try {
      const lsTree = () => (run('git', ['ls-tree', '-r', 'HEAD'], { cwd: dir }), nodeZero());
      const target = label.startsWith('100k') ? 2 : 1.5;
      row(`digest, ${label}`, paired(5, slipway(['digest', '--dir', dir], dir), lsTree), 'git ls-tree -r HEAD + node -e 0', target);
      // The least any digest can cost while SPEC 4's uncommitted-input check runs: Node, then the
      // listing and `git status` side by side, read whole, with no JavaScript work at all.
      row(`  floor: node + ls-tree + status`, paired(5, () => run(process.execPath, ['-e', GIT_FLOOR], { cwd: dir }), lsTree), 'same (no slipway code: the least possible)', target);
      row(`  floor + hash the listing`, paired(5, () => run(process.execPath, ['-e', GIT_READ_FLOOR], { cwd: dir }), lsTree), 'same (the listing read into Node, nothing else)', target);
      // ...and slipway's code loaded (from the cache the digest runs above wrote), not run.
      const withCode = loadFloor(root);
      if (withCode) row(`  + load slipway's code`, paired(5, () => run(process.execPath, ['-e', withCode], { cwd: dir }), lsTree), 'same (and the CLI script loaded, not run)', target);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  row('slipway --help', paired(9, slipway(['--help']), nodeZero), 'node -e 0', 1.3);
  row('slipway --version', paired(9, slipway(['--version']), nodeZero), 'node -e 0', 1.3);

  const shop = committedExample(root, 'shop');
  try {
    row('render examples/shop', paired(7, slipway(['render', '--dir', shop], shop), nodeZero), 'node -e 0', 2);
    const repo = `${stackEnv.SLIPWAY_TEST_REGISTRY}/bench-noop-${process.pid}`;
    slipway(['build', '--dir', shop, '--repo', repo], shop)();
    const refs = run(process.execPath, [bin, 'digest', '--dir', shop, '--repo', repo], { env }).trim().split('\n').map((l) => l.split(/\s+/)[2]);
    row('no-op build examples/shop', paired(7, slipway(['build', '--dir', shop, '--repo', repo], shop), headManifests(refs)), 'node + one manifest HEAD per image', 2);
    let n = 0;
    const prune = () => run('/usr/bin/docker', ['builder', 'prune', '-af'], { env });
    const hand = handBuild(shop, stackEnv.SLIPWAY_TEST_REGISTRY, env);
    const cold = paired(
      3,
      () => (prune(), slipway(['build', '--dir', shop, '--repo', `${stackEnv.SLIPWAY_TEST_REGISTRY}/bench-cold-${process.pid}-${n++}`], shop)()),
      () => (prune(), hand(`${process.pid}-${n++}`)),
    );
    row('cold build examples/shop', cold, 'docker build + docker push by hand', 1.2);
  } finally {
    rmSync(shop, { recursive: true, force: true });
  }
  return rows;
}

export function printRatios(rows, extra = []) {
  console.log('speed targets (issue 13): paired runs, medians; ratio = slipway / baseline');
  console.log(`${'what'.padEnd(30)} ${'slipway'.padStart(9)} ${'baseline'.padStart(9)}  ${'ratio'.padStart(6)}  target  baseline`);
  for (const r of [...rows, ...extra]) {
    const ratio = r.slipwayMs / r.baselineMs;
    const ok = r.inverse ? ratio <= 1 / r.target : ratio <= r.target;
    console.log(
      `${r.what.padEnd(30)} ${r.slipwayMs.toFixed(0).padStart(7)}ms ${r.baselineMs.toFixed(0).padStart(7)}ms  ${ratio.toFixed(2).padStart(5)}x  ${(r.inverse ? `<=${(1 / r.target).toFixed(2)}x` : `<=${r.target}x`).padEnd(6)}  ${r.baseline}${ok ? '' : '  (missed)'}`,
    );
  }
}
