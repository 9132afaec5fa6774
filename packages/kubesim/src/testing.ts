// For tests of kubesim and of its users: starts kubesim in its own process (tests drive kubectl
// synchronously), on a free port with a fresh kubeconfig, and talks to its admin endpoints.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const BIN = fileURLToPath(new URL('../bin/kubesim', import.meta.url));

export interface RunningKubesim {
  kubeconfig: string;
  server: string;
  ca: string;
  token: string;
  readonlyToken: string;
  /** Raw HTTPS request to kubesim (API or admin); token defaults to the admin's. */
  call(method: string, path: string, body?: unknown, options?: { token?: string | null; contentType?: string; accept?: string }): Promise<{ status: number; body: any; text: string; raw: Buffer; headers: Record<string, string | string[] | undefined> }>;
  admin(action: string, body?: unknown): Promise<any>;
  kubectl(args: string[], options?: { input?: string; context?: string; timeout?: number }): { code: number; stdout: string; stderr: string };
  stop(): Promise<void>;
}

export async function startKubesim(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<RunningKubesim> {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-test-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, [BIN, '--kubeconfig', kubeconfig, '--port', '0', ...extraArgs], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  for (let i = 0; i < 200 && !existsSync(kubeconfig); i++) {
    if (child.exitCode !== null) throw new Error(`kubesim exited: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!existsSync(kubeconfig)) throw new Error(`kubesim did not start: ${stderr}`);
  const config = parse(readFileSync(kubeconfig, 'utf8')) as any;
  const server: string = config.clusters[0].cluster.server;
  const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8');
  const token: string = config.users.find((u: any) => u.name === 'admin').user.token;
  const readonlyToken: string = config.users.find((u: any) => u.name === 'readonly').user.token;
  const cache = join(dir, 'kube-cache');
  const sim: RunningKubesim = {
    kubeconfig,
    server,
    ca,
    token,
    readonlyToken,
    call(method, path, body, options = {}) {
      const url = new URL(path, server);
      const auth = options.token === null ? undefined : `Bearer ${options.token ?? token}`;
      const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        // Node does not chunk DELETE bodies: without a length the server could not frame them.
        const length = payload === undefined ? {} : { 'Content-Length': Buffer.byteLength(payload) };
        const accept = options.accept ? { Accept: options.accept } : {};
        const req = request(url, { method, ca, headers: { ...(auth ? { Authorization: auth } : {}), 'Content-Type': options.contentType ?? 'application/json', ...accept, ...length } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text = raw.toString();
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text, raw, headers: res.headers });
          });
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    async admin(action, body = {}) {
      const r = await sim.call('POST', `/kubesim.dev/${action}`, body);
      if (r.status !== 200) throw new Error(`admin ${action}: ${r.status} ${r.text}`);
      return r.body;
    },
    kubectl(args, options = {}) {
      const r = spawnSync('kubectl', [...(options.context ? ['--context', options.context] : []), ...args], {
        env: { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cache },
        input: options.input,
        encoding: 'utf8',
        timeout: options.timeout ?? 30_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sim;
}
