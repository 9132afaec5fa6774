// Issue 8, items 1-4: prototype pollution, registry answers never pasted into manifests, strict
// paths through the CLI, and an --env without values file. Each case: exit code, located
// headline, hint, no stack, nothing on stdout in text mode, one JSON object with --output json.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slipway, slipwayAsync, type CliResult } from './helpers/cli.js';
import { gitRepo, type FileTree } from './helpers/git-fixture.js';

const PROJECT: FileTree = {
  'slipway.yaml': 'project: app\nrepo: registry.example.com/app\nimages:\n  web: {}\n',
  Dockerfile: 'FROM scratch\nCOPY index.html /\n',
  'index.html': 'hi\n',
  'deploy/values.yaml': 'name: demo\nreplicas: 1\n',
  'deploy/values.production.yaml': '',
  'deploy/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{values.name}}\ndata:\n  image: {{images.web.ref}}\n',
};

function expectUserError(r: CliResult, code: number, headline: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(headline);
  expect(r.stderr).toMatch(/\nhint: /);
  expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
}

function expectJsonError(args: string[], code: number, env?: Record<string, string>): void {
  const r = slipway([...args, '--output', 'json'], { env });
  expect(r.code).toBe(code);
  const result = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; error: { message: string } };
  expect(result).toMatchObject({ ok: false, exitCode: code });
  expect(result.error.message.length).toBeGreaterThan(0);
}

describe('prototype pollution', () => {
  it.each([['__proto__.namespace=kube-system'], ['a.constructor.prototype.x=1'], ['prototype=1']])('--set %s is exit 2 and changes nothing', (set) => {
    const dir = gitRepo(PROJECT);
    expectUserError(slipway(['render', '--dir', dir, '--set', set]), 2, /is not allowed as a key/);
    expectJsonError(['render', '--dir', dir, '--set', set], 2);
  });

  it('SLIPWAY_SET is refused the same way', () => {
    const dir = gitRepo(PROJECT);
    expectUserError(slipway(['render', '--dir', dir], { env: { SLIPWAY_SET: '__proto__.namespace=kube-system' } }), 2, /is not allowed as a key/);
  });

  it.each([
    ['__proto__:\n  namespace: kube-system\n', '__proto__'],
    ['a:\n  constructor:\n    prototype:\n      x: 1\n', 'a.constructor'],
  ])('a values file with a forbidden key is exit 2, located', (content, path) => {
    const repo = gitRepo({ ...PROJECT, 'extra.yaml': content });
    const r = slipway(['render', '--dir', repo, '--values', `${repo}/extra.yaml`]);
    expectUserError(r, 2, new RegExp(`${path.replace(/\./g, '\\.')}: "[a-z_]+" is not allowed as a key`));
  });

  it('a chart values.yaml with __proto__ is exit 2', () => {
    const repo = gitRepo({ ...PROJECT, 'deploy/values.yaml': 'name: demo\n__proto__:\n  polluted: yes\n' });
    expectUserError(slipway(['render', '--dir', repo]), 2, /deploy\/values\.yaml: __proto__: "__proto__" is not allowed/);
  });
});

describe('strict paths through render', () => {
  it.each([
    ['{{quote values.typo}}', /templates\/t\.yaml:6: "values\.typo" is not defined/],
    ['{{toYaml values.nope}}', /templates\/t\.yaml:6: "values\.nope" is not defined/],
    ['{{b64enc values.secretTypo}}', /templates\/t\.yaml:6: "values\.secretTypo" is not defined/],
    ['{{#if values.nope}}x{{/if}}', /templates\/t\.yaml:6: "values\.nope" is not defined/],
    ['{{#each values.nope}}x{{/each}}', /templates\/t\.yaml:6: "values\.nope" is not defined/],
    ['{{quote images.web.reff}}', /templates\/t\.yaml:6: "images\.web\.reff" is not defined/],
    ['{{quote images.api.ref}}', /templates\/t\.yaml:6: no image named "api".*images has web/],
    ['{{values.db.host}}', /templates\/t\.yaml:6: "values\.db" is not defined/],
    ['{{default 1 values.db.host}}', /templates\/t\.yaml:6: "values\.db" is not defined/],
  ])('%s is exit 2 with the file, line and path', (expr, headline) => {
    const repo = gitRepo({ ...PROJECT, 'deploy/templates/t.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  x: ${expr}\n` });
    const r = slipway(['render', '--dir', repo]);
    expectUserError(r, 2, headline);
    expect(r.stderr).not.toMatch(/lookupProperty|container\.strict|Cannot use 'in'|Cannot read properties/);
  });

  it('optional values render with default, hasKey, empty and coalesce; 1e10 is a number', () => {
    const t = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  a: {{quote (default 3 values.replicaz)}}\n  b: "{{hasKey values "name"}}"\n  c: "{{empty values.none}}"\n  d: {{quote (coalesce values.none values.name)}}\n  e: "{{toJson 1e10}}"\n';
    const r = slipway(['render', '--dir', gitRepo({ ...PROJECT, 'deploy/templates/t.yaml': t })]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('a: "3"\n  b: "true"\n  c: "true"\n  d: demo\n  e: "10000000000"');
  });
});

describe('--env', () => {
  it('an environment without values.<env>.yaml is exit 2 listing those that exist', () => {
    const dir = gitRepo(PROJECT);
    const r = slipway(['render', '--dir', dir, '--env', 'prodction']);
    expectUserError(r, 2, /unknown environment "prodction": deploy\/values\.prodction\.yaml does not exist/);
    expect(r.stderr).toContain('environments: production');
    expectJsonError(['render', '--dir', dir, '--env', 'prodction'], 2);
  });

  it('an empty values.<env>.yaml declares an environment', () => {
    const dir = gitRepo(PROJECT);
    const r = slipway(['render', '--dir', dir, '--env', 'production']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('namespace: app-production');
  });
});

describe('render --resolve never pastes a registry answer into manifests', () => {
  const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
  let header = '';
  let server: Server;
  let registry = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/v2/') return res.writeHead(200).end('{}');
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', ...(header ? { 'Docker-Content-Digest': header } : {}) });
      res.end(req.method === 'HEAD' ? undefined : manifest);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const run = () => slipwayAsync(['render', '--dir', gitRepo(PROJECT), '--resolve', '--repo', `${registry}/app`]);

  it.each([
    ['sha256:x, securityContext: {privileged: true}', /sent a malformed Docker-Content-Digest/],
    [`sha256:${'a'.repeat(64)}`, /do not match its Docker-Content-Digest/],
  ])('a Docker-Content-Digest of %j is exit 3 naming the registry', async (value, message) => {
    header = value;
    const r = await run();
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`registry ${registry.replace(/\./g, '\\.')} sent`));
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/\nhint: /);
  });

  it('a matching header (or none) pins to the digest of the bytes', async () => {
    const { createHash } = await import('node:crypto');
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    for (const value of [digest, '']) {
      header = value;
      const r = await run();
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`@${digest}`);
      expect(r.stdout).not.toContain('privileged');
    }
  });
});
