// `npm run stack -- up | down | env`: the local stack of SPEC section 10 on one machine.
// up: a Docker engine (reused, or Debian's dockerd with its data under .stack/), a registry on
// 127.0.0.1:5000 (Debian's docker-registry, deletes enabled), and busybox:stable in the engine.
// Idempotent; `down` stops only what `up` started. Progress on stderr, the environment on stdout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBusybox } from './stack/busybox.mjs';
import { dockerRequest, pingDocker } from './stack/docker-api.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STACK = join(ROOT, '.stack');
const STATE = join(STACK, 'state.json');
const REGISTRY = '127.0.0.1:5000';
const log = (msg) => process.stderr.write(`stack: ${msg}\n`);

const readState = () => (existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : { started: {} });
const writeState = (state) => writeFileSync(STATE, `${JSON.stringify(state, null, 2)}\n`);
const isRoot = () => process.getuid?.() === 0;
const onPath = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, check, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`${what} did not become ready within ${seconds}s`);
}

function aptInstall(...packages) {
  if (!isRoot() || !onPath('apt-get')) throw new Error(`need ${packages.join(', ')}: install them (Debian: apt-get install ${packages.join(' ')})`);
  log(`installing ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    r = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (r.status !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed`);
}

function startDetached(name, command, args, options = {}) {
  const out = openSync(join(STACK, `${name}.log`), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], cwd: options.cwd ?? STACK, env: { ...process.env, ...options.env } });
  child.unref();
  return child.pid;
}

async function upDocker(state) {
  const own = `unix://${join(STACK, 'docker.sock')}`;
  const candidates = [process.env.DOCKER_HOST, own, 'unix:///var/run/docker.sock'].filter(Boolean);
  for (const host of candidates) {
    if (await pingDocker(host)) {
      log(`Docker engine: ${host}${host === own ? ' (started earlier by stack up)' : ' (reused)'}`);
      return host;
    }
  }
  if (!onPath('dockerd')) aptInstall('docker.io');
  mkdirSync(join(STACK, 'docker'), { recursive: true });
  log('starting dockerd (data under .stack/docker)');
  state.started.dockerd = startDetached('dockerd', 'dockerd', [
    '--iptables=false',
    '--bridge=none',
    '--data-root', join(STACK, 'docker/data'),
    '--exec-root', join(STACK, 'docker/exec'),
    '--pidfile', join(STACK, 'docker/dockerd.pid'),
    '-H', own,
  ]);
  writeState(state);
  await waitFor('dockerd', () => pingDocker(own), 90);
  return own;
}

async function registryUp() {
  try {
    const res = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200 || res.status === 401;
  } catch {
    return false;
  }
}

async function upRegistry(state, dockerHost) {
  if (await registryUp()) {
    log(`registry: http://${REGISTRY} (already running)`);
    return;
  }
  if (!onPath('docker-registry') && isRoot() && onPath('apt-get')) aptInstall('docker-registry');
  if (onPath('docker-registry')) {
    const config = join(STACK, 'registry.yml');
    writeFileSync(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${join(STACK, 'registry')}`,
        '  delete:',
        '    enabled: true',
        'http:',
        `  addr: ${REGISTRY}`,
        '',
      ].join('\n'),
    );
    log(`starting docker-registry on ${REGISTRY} (storage under .stack/registry)`);
    state.started.registry = startDetached('registry', 'docker-registry', ['serve', config]);
  } else {
    // Elsewhere, where the engine can pull: the registry:2 image in the engine.
    log('starting registry:2 in the Docker engine');
    const r = spawnSync('docker', ['run', '-d', '--name', 'slipway-registry', '-p', `${REGISTRY}:5000`, '-e', 'REGISTRY_STORAGE_DELETE_ENABLED=true', 'registry:2'], {
      env: { ...process.env, DOCKER_HOST: dockerHost },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`docker run registry:2 failed: ${r.stderr}`);
    state.started.registryContainer = 'slipway-registry';
  }
  writeState(state);
  await waitFor('registry', registryUp, 30);
}

async function upBusybox(dockerHost) {
  const present = await dockerRequest(dockerHost, 'GET', '/images/busybox:stable/json');
  if (present.status === 200) {
    log('busybox:stable: present');
    return;
  }
  const pulled = await dockerRequest(dockerHost, 'POST', '/images/create?fromImage=busybox&tag=stable', undefined, 20_000).catch(() => null);
  if (pulled?.status === 200 && !/"error"/.test(pulled.body) && (await dockerRequest(dockerHost, 'GET', '/images/busybox:stable/json')).status === 200) {
    log('busybox:stable: pulled');
    return;
  }
  // The image gets the host binary alone: it must be static (Debian's busybox-static), or it
  // would not run without the host's libraries.
  const isStatic = () => existsSync('/bin/busybox') && /statically linked|static-pie/.test(spawnSync('file', ['-L', '/bin/busybox'], { encoding: 'utf8' }).stdout ?? '');
  if (!isStatic()) aptInstall('busybox-static');
  if (!isStatic()) throw new Error('/bin/busybox is not a static binary: install busybox-static');
  log('busybox:stable: importing the host busybox (no pull possible)');
  await importBusybox(dockerHost, '/bin/busybox', join(STACK, 'busybox-rootfs'));
}

const KUBECONFIG = join(STACK, 'kubeconfig');
const KUBESIM_PORT = 6443;

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function kubesimUp() {
  try {
    // Any HTTP answer (401 without a token) means it serves; the CA is checked by the clients.
    const { request } = await import('node:https');
    return await new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port: KUBESIM_PORT, path: '/version', rejectUnauthorized: false, timeout: 2000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => (req.destroy(), resolve(false)));
      req.end();
    });
  } catch {
    return false;
  }
}

/** kubesim (SPEC section 11) with the docker kubelet, so pods really run; kubeconfig at .stack/kubeconfig. */
async function upKubesim(state, dockerHost) {
  if (state.started.kubesim && alive(state.started.kubesim) && existsSync(KUBECONFIG) && (await kubesimUp())) {
    log(`kubesim: https://127.0.0.1:${KUBESIM_PORT} (started earlier by stack up)`);
    return;
  }
  if (await kubesimUp()) throw new Error(`port ${KUBESIM_PORT} is taken by something this stack did not start; stop it first`);
  rmSync(KUBECONFIG, { force: true });
  log(`starting kubesim on https://127.0.0.1:${KUBESIM_PORT} (docker kubelet)`);
  state.started.kubesim = startDetached(
    'kubesim',
    process.execPath,
    [join(ROOT, 'packages/kubesim/bin/kubesim'), '--kubeconfig', KUBECONFIG, '--port', String(KUBESIM_PORT), '--kubelet', 'docker'],
    { cwd: ROOT, env: { DOCKER_HOST: dockerHost } },
  );
  writeState(state);
  await waitFor('kubesim', () => existsSync(KUBECONFIG), 60);
  if (!onPath('kubectl')) log('warning: kubectl is not installed; the kubectl tests need it (Debian: apt-get install kubernetes-client)');
}

function envOf(dockerHost) {
  return { DOCKER_HOST: dockerHost, SLIPWAY_REPO: `${REGISTRY}/local`, SLIPWAY_TEST_REGISTRY: REGISTRY, KUBECONFIG };
}

/** Programs the tests and scripts spawn, installed when missing (Debian, as root). */
function upTools() {
  const missing = [['git', 'git'], ['openssl', 'openssl'], ['file', 'file'], ['tar', 'tar']].filter(([bin]) => !onPath(bin)).map(([, pkg]) => pkg);
  if (missing.length) aptInstall(...missing);
}

function printEnv(env) {
  for (const [k, v] of Object.entries(env)) process.stdout.write(`export ${k}=${v}\n`);
}

async function up() {
  mkdirSync(STACK, { recursive: true });
  const state = readState();
  upTools();
  const dockerHost = await upDocker(state);
  await upRegistry(state, dockerHost);
  await upBusybox(dockerHost);
  await upKubesim(state, dockerHost);
  state.env = envOf(dockerHost);
  writeState(state);
  writeFileSync(join(STACK, 'env.json'), `${JSON.stringify(state.env, null, 2)}\n`);
  printEnv(state.env);
}

async function stopPid(pid, name) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 60; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      log(`stopped ${name}`);
      return;
    }
    await sleep(250);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
  log(`killed ${name}`);
}

async function down() {
  const state = readState();
  if (state.started.registryContainer) {
    spawnSync('docker', ['rm', '-f', state.started.registryContainer], { env: { ...process.env, ...state.env }, stdio: 'ignore' });
  }
  if (state.started.kubesim) await stopPid(state.started.kubesim, 'kubesim');
  if (state.started.registry) await stopPid(state.started.registry, 'registry');
  if (state.started.dockerd) await stopPid(state.started.dockerd, 'dockerd');
  rmSync(STATE, { force: true });
  rmSync(join(STACK, 'env.json'), { force: true });
  if (!state.started.registry && !state.started.dockerd && !state.started.registryContainer && !state.started.kubesim) log('nothing was started by stack up');
}

const command = process.argv[2] ?? 'up';
try {
  if (command === 'up') await up();
  else if (command === 'down') await down();
  else if (command === 'env') {
    const state = readState();
    if (!state.env) throw new Error('the stack is not up: npm run stack -- up');
    printEnv(state.env);
  } else throw new Error(`usage: npm run stack -- up | down | env (got "${command}")`);
} catch (err) {
  process.stderr.write(`stack: ${err.message}\n`);
  process.exitCode = 1;
}
