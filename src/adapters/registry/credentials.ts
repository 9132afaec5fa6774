// Credentials from the Docker config (SPEC section 6): `auths`, `credHelpers`, `credsStore`
// (through `docker-credential-<name> get`). Never printed, never logged.
import { execFile } from 'node:child_process';
import { readFile } from '../fs-async.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../../errors.js';

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token (`docker login` to some registries stores one). */
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export type CredentialHelper = (helper: string, serverUrl: string) => Promise<Credentials | null>;

/**
 * Runs `docker-credential-<helper> get` with the server on stdin, as the Docker CLI does.
 * "credentials not found" means anonymous access; any other failure is exit 3 naming the helper.
 */
export const runCredentialHelper: CredentialHelper = (helper, serverUrl) =>
  new Promise((resolve, reject) => {
    const program = `docker-credential-${helper}`;
    const child = execFile(program, ['get'], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        if (/credentials not found/i.test(`${stdout}${stderr}`)) return resolve(null);
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is not installed' : `failed (${(stderr || stdout || err.message).trim().split('\n')[0]})`;
        return reject(new EnvironmentError(`credential helper ${program} ${why} for ${serverUrl}`, { hint: `check the "credsStore"/"credHelpers" entries of your Docker config, or run docker login ${serverUrl}` }));
      }
      try {
        const out = JSON.parse(stdout) as { Username?: string; Secret?: string };
        resolve(out.Username === '<token>' ? { identityToken: out.Secret } : { username: out.Username, password: out.Secret });
      } catch {
        reject(new EnvironmentError(`credential helper ${program} printed something that is not credentials`, { hint: `run: echo ${serverUrl} | ${program} get` }));
      }
    });
    // A helper that exits without reading stdin closes the pipe: that is its exit status's business.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(serverUrl);
  });

export class DockerConfigCredentials {
  private config?: Promise<DockerConfig>;
  private readonly cache = new Map<string, Promise<Credentials | null>>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly helper: CredentialHelper = runCredentialHelper,
  ) {}

  /** Credentials for a registry host (`host[:port]`), or null for anonymous access. */
  get(registry: string): Promise<Credentials | null> {
    let found = this.cache.get(registry);
    if (!found) {
      found = this.lookup(registry);
      this.cache.set(registry, found);
    }
    return found;
  }

  private async lookup(registry: string): Promise<Credentials | null> {
    const config = await this.load();
    const keys = registry === 'docker.io' ? ['https://index.docker.io/v1/', 'docker.io', 'index.docker.io'] : [registry, `https://${registry}`, `http://${registry}`];
    const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean);
    if (helper) return this.helper(helper, keys[0]!);
    for (const key of keys) {
      const entry = config.auths?.[key] ?? config.auths?.[`${key}/`];
      if (!entry) continue;
      if (entry.identitytoken) return { identityToken: entry.identitytoken };
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      }
      if (entry.username) return { username: entry.username, password: entry.password };
    }
    if (config.credsStore) return this.helper(config.credsStore, keys[0]!);
    return null;
  }

  private load(): Promise<DockerConfig> {
    this.config ??= (async () => {
      const file = join(this.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        return {}; // no Docker config: anonymous access
      }
      try {
        return JSON.parse(text) as DockerConfig;
      } catch (err) {
        throw new EnvironmentError(`cannot read the Docker config ${file}: it is not valid JSON`, { cause: err, hint: 'fix the file, or log in again with docker login' });
      }
    })();
    return this.config;
  }
}
