// `npm run bench` part: a 200-pod Deployment rolled out on kubesim's fake kubelet, create and
// image change, timed until `kubectl rollout status` returns. Run alone: node bench/kubesim-rollout.mjs
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function kubesimFigures(ROOT) {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-kubesim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [join(ROOT, 'packages/kubesim/bin/kubesim'), '--kubeconfig', kubeconfig, '--port', '0'], { cwd: ROOT, stdio: 'ignore' });
  try {
    for (let i = 0; i < 200 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 50));
    const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache') };
    const kubectl = (args, input) => {
      const r = spawnSync('kubectl', args, { env, input, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    };
    // The fake kubelet checks images with a HEAD: a digest-pinned ref of a stack image exists.
    const registry = JSON.parse(readFileSync(join(ROOT, '.stack/env.json'), 'utf8')).SLIPWAY_TEST_REGISTRY;
    const dockerEnv = { ...process.env, ...JSON.parse(readFileSync(join(ROOT, '.stack/env.json'), 'utf8')) };
    const image = `${registry}/bench/busybox:stable`;
    spawnSync('docker', ['tag', 'busybox:stable', image], { env: dockerEnv });
    spawnSync('docker', ['push', '-q', image], { env: dockerEnv });
    const manifest = (version) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big, namespace: default}\nspec:\n  replicas: 200\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}, annotations: {version: "${version}"}}\n    spec: {containers: [{name: app, image: "${image}"}]}\n`;
    const time = (fn) => {
      const start = process.hrtime.bigint();
      fn();
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const createMs = time(() => {
      kubectl(['apply', '--server-side', '-f', '-'], manifest(1));
      kubectl(['rollout', 'status', 'deployment/big', '--timeout=120s']);
    });
    const updateMs = time(() => {
      kubectl(['apply', '--server-side', '-f', '-'], manifest(2));
      kubectl(['rollout', 'status', 'deployment/big', '--timeout=120s']);
    });
    return { createMs, updateMs };
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}


if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await kubesimFigures(fileURLToPath(new URL('..', import.meta.url)));
  console.log(`200-pod Deployment: create ${r.createMs.toFixed(0)} ms, image change ${r.updateMs.toFixed(0)} ms`);
}
