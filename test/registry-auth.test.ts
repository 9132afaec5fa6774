// Registries that require credentials: htpasswd (Basic) and token auth (Bearer), with
// credentials from a Docker config file, a credential helper, or none.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slipwayAsync } from './helpers/cli.js';
import { PASSWORD, USER, dockerConfig, startBasicRegistry, startTokenRegistry, type RunningRegistry, type TokenRegistry } from './helpers/auth-registry.js';
import { gitRepo, tempDir } from './helpers/git-fixture.js';
import { stackEnv } from './helpers/stack.js';

const project = () => gitRepo({ 'slipway.yaml': 'project: auth\nimages:\n  app: {}\n', Dockerfile: 'FROM busybox:stable\nCOPY app.txt /\n', 'app.txt': `${Math.random()}\n` });

function run(command: string[], dir: string, repo: string, env: Record<string, string>) {
  return slipwayAsync([...command, '--dir', dir, '--repo', repo, '--output', 'json', '--verbose'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST, ...env } });
}

function expectNoSecret(r: { stdout: string; stderr: string }) {
  expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  expect(r.stdout + r.stderr).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
}

function suite(name: string, start: (dir: string) => Promise<RunningRegistry>) {
  describe(name, () => {
    let registry: RunningRegistry;
    let workdir: string;
    beforeAll(async () => {
      workdir = mkdtempSync(join(tmpdir(), 'slipway-auth-'));
      registry = await start(workdir);
    });
    afterAll(async () => {
      await registry?.stop();
      rmSync(workdir, { recursive: true, force: true });
    });

    it('credentials from a Docker config: the presence check and the push work', async () => {
      const env = { DOCKER_CONFIG: dockerConfig(tempDir(), { [registry.host]: [USER, PASSWORD] }) };
      const dir = project();
      const repo = `${registry.host}/team`;
      const before = await run(['digest', '--check'], dir, repo, env);
      expect(before.code, before.stderr).toBe(0);
      expect(JSON.parse(before.stdout)).toMatchObject({ images: [{ present: false }] });
      const built = await run(['build'], dir, repo, env);
      expect(built.code, built.stderr).toBe(0);
      expect(JSON.parse(built.stdout)).toMatchObject({ images: [{ built: true, manifest: expect.stringMatching(/^sha256:/) }] });
      const after = await run(['digest', '--check'], dir, repo, env);
      expect(JSON.parse(after.stdout)).toMatchObject({ images: [{ present: true }] });
      [before, built, after].forEach(expectNoSecret);
    });

    it('credentials from a credential helper (credHelpers)', async () => {
      const bin = tempDir();
      const helper = join(bin, 'docker-credential-slipwaytest');
      writeFileSync(helper, `#!/bin/sh\nread server\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server"\n`);
      chmodSync(helper, 0o755);
      const config = tempDir();
      mkdirSync(config, { recursive: true });
      writeFileSync(join(config, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'slipwaytest' } }));
      const r = await run(['digest', '--check'], project(), `${registry.host}/team`, { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH}` });
      expect(r.code, r.stderr).toBe(0);
      expectNoSecret(r);
    });

    it('a credential helper that exits without reading stdin is exit 3 naming it, never a crash', async () => {
      const bin = tempDir();
      writeFileSync(join(bin, 'docker-credential-broken'), '#!/bin/sh\necho "keychain is locked" >&2\nexit 1\n');
      chmodSync(join(bin, 'docker-credential-broken'), 0o755);
      const config = tempDir();
      writeFileSync(join(config, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'broken' } }));
      for (const output of [[], ['--output', 'json']]) {
        const r = await run(['digest', '--check', ...output], project(), `${registry.host}/team`, { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH}` });
        expect(r.code, r.stderr).toBe(3);
        expect(r.stderr).toMatch(/credential helper docker-credential-broken failed \(keychain is locked\)/);
        expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
        if (output.length) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 3 });
      }
    });

    it('without credentials: exit 3 telling the user to log in to that registry', async () => {
      const env = { DOCKER_CONFIG: tempDir() };
      for (const command of [['digest', '--check'], ['build'], ['render', '--resolve']]) {
        const r = await run(command, project(), `${registry.host}/team`, env);
        expect(r.code, `${command.join(' ')}: ${r.stderr}`).toBe(3);
        expect(r.stderr).toContain(`log in: docker login ${registry.host}`);
        expect(r.stderr).toContain(`registry ${registry.host}`);
      }
    });

    it('with a wrong password: exit 3, and the password is not printed', async () => {
      const env = { DOCKER_CONFIG: dockerConfig(tempDir(), { [registry.host]: [USER, 'wrong-password'] }) };
      const r = await run(['build'], project(), `${registry.host}/team`, env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`docker login ${registry.host}`);
      expect(r.stdout + r.stderr).not.toContain('wrong-password');
    });
  });
}

suite('htpasswd registry (Basic)', startBasicRegistry);
suite('token-auth registry (Bearer)', startTokenRegistry);

describe('token-auth registry: the token flow', () => {
  it('asks the token server with Basic credentials for the repository scope', async () => {
    const workdir = tempDir();
    const registry: TokenRegistry = await startTokenRegistry(workdir);
    try {
      const env = { DOCKER_CONFIG: dockerConfig(tempDir(), { [registry.host]: [USER, PASSWORD] }) };
      const r = await run(['digest', '--check'], project(), `${registry.host}/team`, env);
      expect(r.code, r.stderr).toBe(0);
      expect(registry.requests).toContainEqual({ authorized: true, scopes: ['repository:team/app:pull'] });
    } finally {
      await registry.stop();
    }
  });
});
