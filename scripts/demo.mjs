// `npm run demo`: what works today on examples/hello, without Docker or a cluster.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const step = (title, args) => {
  process.stderr.write(`\n$ slipway ${args.join(' ')}    # ${title}\n`);
  const r = spawnSync(process.execPath, [`${ROOT}bin/slipway`, ...args], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

step('content digests from the commit', ['digest', '--dir', 'examples/hello']);
step('why: every input of the digest', ['digest', '--dir', 'examples/hello', '--explain']);
step('the manifests, pinned to those digests', ['render', '--dir', 'examples/hello', '--env', 'production']);
process.stderr.write('\nbuild and converge: not available yet (the build and deploy issues are in progress).\n');
