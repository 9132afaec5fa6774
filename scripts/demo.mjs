// `npm run demo`: slipway end to end on examples/hello: the local stack (Docker engine, registry,
// kubesim with the docker kubelet), digests, then converge into namespace hello-demo, then the
// pods and the first lines of the container log (the readiness probe fetched the built page).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const say = (text) => process.stderr.write(`\n${text}\n`);
const run = (title, command, args, env, options = {}) => {
  say(`$ ${command === process.execPath ? 'slipway' : command} ${args.slice(command === process.execPath ? 1 : 0).join(' ')}    # ${title}`);
  const r = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'inherit'] });
  if (r.status !== 0) {
    say(`demo: "${title}" failed with exit ${r.status}`);
    process.exit(r.status ?? 1);
  }
  return r.stdout;
};

const up = spawnSync(process.execPath, ['scripts/stack.mjs', 'up'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (up.status !== 0) process.exit(up.status ?? 1);
const stack = JSON.parse(readFileSync(`${ROOT}.stack/env.json`, 'utf8'));
const env = { ...process.env, ...stack };
const slipway = (title, args) => run(title, process.execPath, [`${ROOT}bin/slipway`, ...args], env);

slipway('content digests from the commit', ['digest', '--dir', 'examples/hello']);
slipway('build what the registry lacks, apply, track until ready', ['converge', '--dir', 'examples/hello', '--namespace', 'hello-demo']);
slipway('again: nothing to build, nothing to write', ['converge', '--dir', 'examples/hello', '--namespace', 'hello-demo']);
slipway('the release history', ['history', '--dir', 'examples/hello', '--namespace', 'hello-demo']);
run('the pods kubesim runs in Docker', 'kubectl', ['get', 'pods', '-n', 'hello-demo', '-o', 'wide'], env);
const log = run('the container log (the readiness probe fetched the page slipway built)', 'kubectl', ['logs', 'deploy/hello', '-n', 'hello-demo', '--tail', '5'], env, { capture: true });
process.stdout.write(log);
if (!log.trim()) {
  say('demo: the container log is empty');
  process.exit(1);
}
