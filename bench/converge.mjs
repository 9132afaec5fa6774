// Deploy figures for `npm run bench` (printed, never asserted), on the local stack's kubesim:
// - the median no-op `slipway converge` of examples/shop, beside what a user would script by hand:
//   `kubectl apply --server-side -f <the same rendered manifests>` then `kubectl rollout status`
//   of each workload;
// - the time from a pod entering CrashLoopBackOff to slipway's exit (fail fast).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.com' };

function must(cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

function pairedMedians(runs, fns) {
  const times = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, n) => {
      const start = process.hrtime.bigint();
      fn();
      times[n].push(Number(process.hrtime.bigint() - start) / 1e6);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(runs / 2)]);
}

/** A node program that sends one server-side apply per object, all at once, over one keep-alive agent. */
function applyScript(kubeconfig, objects) {
  const server = /server: (\S+)/.exec(kubeconfig)[1];
  const ca = /certificate-authority-data: (\S+)/.exec(kubeconfig)[1];
  const token = /token: (\S+)/.exec(kubeconfig)[1];
  const plural = (kind) => (kind.endsWith('s') ? `${kind.toLowerCase()}es` : `${kind.toLowerCase()}s`);
  const requests = objects.map((o) => {
    const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
    return { path: `${base}/namespaces/${o.metadata.namespace}/${plural(o.kind)}/${o.metadata.name}?fieldManager=bench-least&force=true`, body: JSON.stringify(o) };
  });
  return `const https=require('node:https');const agent=new https.Agent({keepAlive:true,ca:Buffer.from(${JSON.stringify(ca)},'base64')});const u=new URL(${JSON.stringify(server)});
Promise.all(${JSON.stringify(requests)}.map((r)=>new Promise((ok,ko)=>{const q=https.request({host:u.hostname,port:u.port,path:r.path,method:'PATCH',agent,headers:{Authorization:'Bearer ${token}','Content-Type':'application/apply-patch+yaml','Content-Length':Buffer.byteLength(r.body)}},(res)=>{res.resume();res.on('end',()=>res.statusCode<300?ok():ko(new Error(r.path+' '+res.statusCode)))});q.on('error',ko);q.end(r.body)}))).then(()=>agent.destroy(),(e)=>{console.error(e.message);process.exit(1)});`;
}

function project(root, example, files = {}) {
  const dir = mkdtempSync(join(tmpdir(), `slipway-bench-${example}-`));
  cpSync(join(root, 'examples', example), dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    if (content === null) rmSync(join(dir, path));
    else writeFileSync(join(dir, path), content);
  }
  must('git', ['init', '-q', '-b', 'main'], { cwd: dir, env: GIT_ENV });
  must('git', ['add', '-A'], { cwd: dir, env: GIT_ENV });
  must('git', ['commit', '-qm', 'bench'], { cwd: dir, env: GIT_ENV });
  return dir;
}

export async function convergeFigures(root) {
  const env = { ...process.env, ...JSON.parse(readFileSync(join(root, '.stack/env.json'), 'utf8')), CI: '1' };
  const bin = join(root, 'bin/slipway');
  const slipway = (args, cwd) => must(process.execPath, [bin, ...args], { cwd, env });
  const kubectl = (args, input) => must('kubectl', args, { env, input });
  const ns = `bench-shop-${process.pid}`;
  const byHand = `bench-kubectl-${process.pid}`;
  const shop = project(root, 'shop');
  try {
    const converge = () => slipway(['converge', '--dir', shop, '--namespace', ns], shop);
    converge();
    const manifests = slipway(['render', '--dir', shop, '--namespace', byHand, '--resolve'], shop);
    kubectl(['create', 'namespace', byHand]);
    const workloads = ['deployment/api', 'deployment/worker', 'statefulset/cache'];
    const kubectlRun = () => {
      kubectl(['apply', '--server-side', '--field-manager', 'bench', '-f', '-'], manifests);
      for (const w of workloads) kubectl(['rollout', 'status', w, '-n', byHand, '--timeout', '120s']);
    };
    kubectlRun();
    // The least a no-op converge does: a no-op build, then one server-side apply per object.
    const objects = JSON.parse(slipway(['render', '--dir', shop, '--namespace', byHand, '--resolve', '--output', 'json'], shop)).manifests;
    const applyEach = applyScript(readFileSync(env.KUBECONFIG, 'utf8'), objects);
    const leastRun = () => {
      slipway(['build', '--dir', shop], shop);
      must(process.execPath, ['-e', applyEach], { env });
    };
    leastRun();
    // Paired: the three alternate, medians of each.
    const [noopMs, kubectlMs, leastMs] = pairedMedians(5, [converge, kubectlRun, leastRun]);

    const crash = project(root, 'hello', {
      'deploy/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: crash\nspec:\n  selector:\n    matchLabels: {app: crash}\n  template:\n    metadata:\n      labels: {app: crash}\n    spec:\n      containers: [{name: main, image: "{{images.web.ref}}", command: ["sh", "-c", "echo boom; exit 1"]}]\n',
      'deploy/templates/service.yaml': null,
    });
    const crashNs = `bench-crash-${process.pid}`;
    const crashMs = await new Promise((resolve, reject) => {
      let entered;
      const child = spawn(process.execPath, [bin, 'converge', '--dir', crash, '--namespace', crashNs, '--timeout', '120s'], { cwd: crash, env, stdio: 'ignore' });
      // Polling here is the bench observing from outside, not slipway.
      const poll = setInterval(() => {
        const r = spawnSync('kubectl', ['get', 'pods', '-n', crashNs, '-o', 'jsonpath={.items[*].status.containerStatuses[*].state.waiting.reason}'], { env, encoding: 'utf8' });
        if (entered === undefined && /CrashLoopBackOff/.test(r.stdout ?? '')) entered = performance.now();
      }, 100);
      child.on('exit', (code) => {
        clearInterval(poll);
        if (code !== 1 || entered === undefined) reject(new Error(`crash-loop converge: exit ${code}, CrashLoopBackOff ${entered === undefined ? 'never seen' : 'seen'}`));
        else resolve(performance.now() - entered);
      });
    });
    for (const n of [ns, byHand, crashNs]) spawnSync('kubectl', ['delete', 'namespace', n, '--wait=false'], { env, stdio: 'ignore' });
    rmSync(crash, { recursive: true, force: true });
    return { noopMs, kubectlMs, leastMs, crashMs };
  } finally {
    rmSync(shop, { recursive: true, force: true });
  }
}
