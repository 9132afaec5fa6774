// Extra registry instances for auth tests: Debian's docker-registry with htpasswd (Basic) or with
// token auth (Bearer) backed by a small token server that signs RS256 JWTs with an x5c chain.
import bcrypt from 'bcryptjs';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';

export const USER = 'ci-user';
export const PASSWORD = 'pa55-w0rd-never-printed';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForRegistry(host: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 401 || res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry ${host} did not start`);
}

export interface RunningRegistry {
  host: string;
  stop(): Promise<void>;
}

/** A plain registry (no auth) whose deletes are disabled, as distribution ships by default. */
export function startRegistryWithoutDeletes(dir: string): Promise<RunningRegistry> {
  return startRegistry(dir, [], false);
}

async function startRegistry(dir: string, authYaml: string[], deletes = true): Promise<RunningRegistry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'registry.yml');
  writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: error', 'storage:', '  filesystem:', `    rootdirectory: ${join(dir, 'data')}`, '  delete:', `    enabled: ${deletes}`, 'http:', `  addr: ${host}`, ...(authYaml.length ? ['auth:', ...authYaml] : []), ''].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  await waitForRegistry(host);
  return { host, stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill()))) };
}

export async function startBasicRegistry(dir: string): Promise<RunningRegistry> {
  const htpasswd = join(dir, 'htpasswd');
  // What `htpasswd -Bbn` writes, without needing apache2-utils: user:<bcrypt hash>.
  writeFileSync(htpasswd, `${USER}:${bcrypt.hashSync(PASSWORD, 10)}\n`);
  return startRegistry(dir, ['  htpasswd:', '    realm: slipway-test', `    path: ${htpasswd}`]);
}

export interface TokenRegistry extends RunningRegistry {
  /** Every token request: whether it carried the right Basic credentials, and its scopes. */
  requests: { authorized: boolean; scopes: string[] }[];
}

export async function startTokenRegistry(dir: string): Promise<TokenRegistry> {
  const key = join(dir, 'token.key');
  const cert = join(dir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=slipway-test-token'], { stdio: 'ignore' });
  const der = new X509Certificate(readFileSync(cert)).raw.toString('base64');
  const privateKey = readFileSync(key, 'utf8');
  const requests: TokenRegistry['requests'] = [];
  const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    const authorized = req.headers.authorization === expected;
    const scopes = url.searchParams.getAll('scope');
    requests.push({ authorized, scopes });
    if (req.headers.authorization && !authorized) {
      res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    // Anonymous callers get a token without access, as public registries do.
    const access = authorized
      ? scopes.map((s) => {
          const [type, ...rest] = s.split(':');
          const actions = rest.pop()!.split(',');
          return { type, name: rest.join(':'), actions };
        })
      : [];
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }));
    const claims = b64url(
      JSON.stringify({ iss: 'slipway-test-issuer', sub: authorized ? USER : '', aud: 'slipway-test-registry', exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey);
    const token = `${header}.${claims}.${b64url(signature)}`;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  const tokenPort = await freePort();
  await new Promise<void>((resolve) => server.listen(tokenPort, '127.0.0.1', resolve));
  const registry = await startRegistry(dir, [
    '  token:',
    `    realm: http://127.0.0.1:${tokenPort}/token`,
    '    service: slipway-test-registry',
    '    issuer: slipway-test-issuer',
    `    rootcertbundle: ${cert}`,
  ]);
  return {
    ...registry,
    requests,
    stop: async () => {
      await registry.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A DOCKER_CONFIG directory; `auths` entries for the given hosts (user, password). */
export function dockerConfig(dir: string, auths: Record<string, [string, string]>, extra: Record<string, unknown> = {}): string {
  const entries = Object.fromEntries(Object.entries(auths).map(([host, [u, p]]) => [host, { auth: Buffer.from(`${u}:${p}`).toString('base64') }]));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: entries, ...extra }));
  return dir;
}
