import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../errors.js';
import { parseChallenge, RegistryClient } from './client.js';
import { DockerConfigCredentials } from './credentials.js';
import { formatReference, parseReference } from '../../core/image-ref.js';
import { isPlainHttp, registryBaseUrl } from './reference.js';

describe('references', () => {
  it.each([
    ['127.0.0.1:5000/shop/api:abc', { registry: '127.0.0.1:5000', repository: 'shop/api', tag: 'abc' }],
    ['registry.example.com/x:1@sha256:ff', { registry: 'registry.example.com', repository: 'x', tag: '1', digest: 'sha256:ff' }],
    ['localhost/a', { registry: 'localhost', repository: 'a' }],
    ['busybox:stable', { registry: 'docker.io', repository: 'library/busybox', tag: 'stable' }],
    ['team/app', { registry: 'docker.io', repository: 'team/app' }],
  ])('%s', (ref, expected) => {
    expect(parseReference(ref)).toEqual(expected);
    if (expected.registry !== 'docker.io') expect(formatReference(parseReference(ref))).toBe(ref);
  });

  it('plain HTTP only for loopback or --insecure-registry', () => {
    expect(registryBaseUrl('127.0.0.1:5000', [])).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('localhost:5000', [])).toBe('http://localhost:5000');
    expect(registryBaseUrl('registry.internal:5000', [])).toBe('https://registry.internal:5000');
    expect(registryBaseUrl('registry.internal:5000', ['registry.internal:5000'])).toBe('http://registry.internal:5000');
    expect(registryBaseUrl('docker.io', [])).toBe('https://registry-1.docker.io');
    expect(isPlainHttp('10.0.0.1:5000', [])).toBe(false);
  });

  it('parses WWW-Authenticate challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: 'basic', params: { realm: 'x' } });
  });
});

describe('DockerConfigCredentials', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const withConfig = (config: unknown) => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-docker-config-'));
    writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
    return { DOCKER_CONFIG: dir };
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('reads auths in their usual spellings', async () => {
    const creds = new DockerConfigCredentials(
      withConfig({
        auths: {
          'a.example.com': { auth: b64('u:p:with:colons') },
          'https://b.example.com': { username: 'u2', password: 'p2' },
          'c.example.com': { identitytoken: 'refresh' },
          'https://index.docker.io/v1/': { auth: b64('hub:pw') },
        },
      }),
    );
    expect(await creds.get('a.example.com')).toEqual({ username: 'u', password: 'p:with:colons' });
    expect(await creds.get('b.example.com')).toEqual({ username: 'u2', password: 'p2' });
    expect(await creds.get('c.example.com')).toEqual({ identityToken: 'refresh' });
    expect(await creds.get('docker.io')).toEqual({ username: 'hub', password: 'pw' });
    expect(await creds.get('other.example.com')).toBeNull();
  });

  it('asks credHelpers first, then auths, then credsStore', async () => {
    const asked: string[] = [];
    const helper = async (name: string, server: string) => {
      asked.push(`${name} ${server}`);
      return { username: name, password: 'x' };
    };
    const creds = new DockerConfigCredentials(
      withConfig({ credHelpers: { 'gcr.example.com': 'gcloud' }, auths: { 'a.example.com': { auth: b64('u:p') } }, credsStore: 'desktop' }),
      helper,
    );
    expect(await creds.get('gcr.example.com')).toEqual({ username: 'gcloud', password: 'x' });
    expect(await creds.get('a.example.com')).toEqual({ username: 'u', password: 'p' });
    expect(await creds.get('z.example.com')).toEqual({ username: 'desktop', password: 'x' });
    expect(asked).toEqual(['gcloud gcr.example.com', 'desktop z.example.com']);
  });

  it('no config is anonymous; a malformed one is an environment error', async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-docker-config-'));
    expect(await new DockerConfigCredentials({ DOCKER_CONFIG: dir }).get('a')).toBeNull();
    await expect(new DockerConfigCredentials(withConfig('{not json')).get('a')).rejects.toBeInstanceOf(EnvironmentError);
  });
});

describe('RegistryClient tokens', () => {
  it('asks for a new token when the cached one has expired (a 401 with it)', async () => {
    const manifest = Buffer.from('{"schemaVersion":2}');
    const digest = `sha256:${(await import('node:crypto')).createHash('sha256').update(manifest).digest('hex')}`;
    const valid = new Set<string>();
    let issued = 0;
    const calls: string[] = [];
    const fake = (async (input: string | URL, init?: RequestInit) => {
      const url = String(input);
      const auth = (init?.headers as Record<string, string> | undefined)?.Authorization ?? '';
      if (url.startsWith('https://auth.example.com/token')) {
        const token = `t${++issued}`;
        valid.clear(); // the previous token expires when a new one is issued
        valid.add(token);
        calls.push(`token ${token}`);
        return new Response(JSON.stringify({ token }), { status: 200 });
      }
      calls.push(`manifest ${auth || 'anonymous'}`);
      if (!valid.has(auth.replace(/^Bearer /, ''))) {
        return new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="https://auth.example.com/token",service="r.example.com"' } });
      }
      return new Response(manifest, { status: 200, headers: { 'Docker-Content-Digest': digest } });
    }) as typeof fetch;
    const client = new RegistryClient({ credentials: { get: async () => null }, fetch: fake });
    const ref = parseReference('r.example.com/app:x');
    expect(await client.manifestDigest(ref)).toBe(digest);
    valid.clear(); // t1 expires
    expect(await client.manifestDigest(ref)).toBe(digest);
    expect(calls).toEqual(['manifest anonymous', 'token t1', 'manifest Bearer t1', 'manifest Bearer t1', 'token t2', 'manifest Bearer t2']);
  });
});
