// `slipway render` (SPEC section 7) on the examples and on broken charts, through the built CLI.
import { cpSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, slipway } from './helpers/cli.js';
import { cloneRepo, commitAll, git, gitRepo, tempDir, writeTree, type FileTree } from './helpers/git-fixture.js';

/** A repository holding a copy of examples/, committed. */
function examplesRepo(): string {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  commitAll(dir, 'examples');
  return dir;
}

const PROJECT: FileTree = {
  'slipway.yaml': 'project: app\nrepo: registry.example.com/app\nimages:\n  web: {}\n',
  Dockerfile: 'FROM scratch\nCOPY index.html /\n',
  'index.html': 'hi\n',
  'deploy/values.yaml': 'name: demo\nreplicas: 1\n',
};

function chart(templates: Record<string, string>, extra: FileTree = {}): string {
  return gitRepo({ ...PROJECT, ...Object.fromEntries(Object.entries(templates).map(([k, v]) => [`deploy/templates/${k}`, v])), ...extra });
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{values.name}}\ndata:\n  replicas: {{quote values.replicas}}\n  image: {{images.web.ref}}\n';

describe('render examples', () => {
  it.each([
    ['hello', []],
    ['hello', ['--env', 'production']],
    ['shop', []],
    ['shop', ['--env', 'production']],
  ])('examples/%s %j is byte-identical from two separate clones', (example, args) => {
    const origin = examplesRepo();
    const [a, b] = [cloneRepo(origin), cloneRepo(origin)];
    const ra = slipway(['render', '--dir', join(a, 'examples', example), ...args]);
    const rb = slipway(['render', '--dir', 'examples/' + example, ...args], { cwd: b });
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    expect(rb.stdout).toBe(ra.stdout);
    expect(ra.stdout).not.toContain(a);
    expect(ra.stdout).toContain('app.kubernetes.io/managed-by: slipway');
    expect(ra.stdout).toMatch(new RegExp(`image: 127\\.0\\.0\\.1:5000/${example}/\\w+:[0-9a-f]{64}`));
  });

  it('shop: namespace, release labels, and apply order (weight -1 migration Job first)', () => {
    const r = slipway(['render', '--dir', join(examplesRepo(), 'examples/shop'), '--env', 'production', '--output', 'json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { release: string; namespace: string; manifests: { kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> } }[] };
    expect([result.release, result.namespace]).toEqual(['shop-production', 'shop-production']);
    expect(result.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      expect.stringMatching(/^Job\/shop-production-migrate-[0-9a-f]{12}$/),
      'Service/api',
      'Service/cache',
      'Deployment/api',
      'StatefulSet/cache',
      'Deployment/worker',
    ]);
    for (const m of result.manifests) {
      expect(m.metadata.namespace).toBe('shop-production');
      expect(m.metadata.labels['slipway.dev/release']).toBe('shop-production');
    }
  });
});

describe('render values and identity', () => {
  it('values.yaml < values.<env>.yaml < --values files < --set', () => {
    const dir = chart({ 'cm.yaml': CM }, { 'deploy/values.staging.yaml': 'name: from-env\nreplicas: 2\n' });
    const extra = join(tempDir(), 'extra.yaml');
    writeTree(join(extra, '..'), { 'extra.yaml': 'replicas: 3\n' });
    const r = slipway(['render', '--dir', dir, '--env', 'staging', '--values', extra, '--set', 'name=from-set']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: from-set');
    expect(r.stdout).toContain('replicas: "3"');
    expect(r.stdout).toContain('namespace: app-staging');
    expect(r.stdout).toContain('slipway.dev/release: app-staging');
  });

  it('--release/--namespace flags and SLIPWAY_REPO', () => {
    const dir = chart({ 'cm.yaml': CM });
    const r = slipway(['render', '--dir', dir, '--release', 'r1', '--namespace', 'ns1'], { env: { SLIPWAY_REPO: 'other.example.com/team' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('namespace: ns1');
    expect(r.stdout).toContain('slipway.dev/release: r1');
    expect(r.stdout).toMatch(/image: other\.example\.com\/team\/web:[0-9a-f]{64}/);
  });
});

describe('render errors (exit 2, located, nothing on stdout)', () => {
  it.each([
    ['a missing value', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{values.nope}}\n' }, 'deploy/templates/cm.yaml:6: "values.nope" is not defined'],
    ['a template syntax error', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{values.name}\n' }, 'deploy/templates/cm.yaml:4: template syntax'],
    ['required', { 'cm.yaml': 'a: {{required "values.host is required" values.host}}\n' }, 'deploy/templates/cm.yaml:1: values.host is required'],
    ['invalid YAML output', { 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n' }, 'deploy/templates/bad.yaml: rendered document 1 is not valid YAML'],
    ['a document without metadata.name', { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n' }, 'deploy/templates/a.yaml: document 1 ConfigMap has no metadata.name'],
    ['a duplicate object', { 'a.yaml': CM, 'b.yaml': CM }, 'deploy/templates/b.yaml: document 1 duplicate ConfigMap "/ConfigMap/app/demo"'],
  ])('%s', (_name, templates, message) => {
    const r = slipway(['render', '--dir', chart(templates)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a values file with a syntax error is located', () => {
    const r = slipway(['render', '--dir', chart({ 'cm.yaml': CM }, { 'deploy/values.yaml': 'name: [\n' })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deploy\/values\.yaml:\d+:\d+: /);
  });

  it('bad --set syntax and a missing --values file', () => {
    const dir = chart({ 'cm.yaml': CM });
    expect(slipway(['render', '--dir', dir, '--set', 'novalue']).stderr).toContain('expected path=value');
    const r = slipway(['render', '--dir', dir, '--values', 'nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--values nope.yaml: cannot read the file');
  });

  it('a missing chart directory points at deploy.chart', () => {
    const r = slipway(['render', '--dir', gitRepo({ ...PROJECT, 'slipway.yaml': `${PROJECT['slipway.yaml'] as string}deploy:\n  chart: charts/app\n` })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('slipway.yaml:6:10: deploy.chart: no files under "charts/app" in the commit');
  });

  it('--output json carries the error', () => {
    const r = slipway(['render', '--dir', chart({ 'cm.yaml': 'a: {{values.nope}}\n' }), '--output', 'json']);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; error: { code: number; message: string } };
    expect(json).toMatchObject({ command: 'render', ok: false, exitCode: 2, error: { code: 2 } });
    expect(json.error.message).toContain('template rendering failed');
  });
});

describe('errors a Helm user understands', () => {
  it.each([
    ['{{ .Values.name }}', 'write {{values.name}}'],
    ['{{- values.name }}', 'Handlebars writes {{~ and ~}}'],
    ['{{ values.name | quote }}', 'write {{quote x}} instead of {{ x | quote }}'],
    ['{{ range values.list }}x{{ end }}', 'write {{#each list}} … {{/each}}'],
    ['{{ if values.name }}x{{ end }}', 'write {{#if x}} … {{/if}}'],
    ['{{ template "labels" . }}', 'use {{> name}} or {{include "name" (dict …)}}'],
  ])('%s: exit 2 at the line, naming the Handlebars form', (expression, hint) => {
    const r = slipway(['render', '--dir', chart({ 'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${expression}\n` })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deploy/templates/cm.yaml:6:');
    expect(r.stderr).toContain(hint);
  });

  it('invalid rendered YAML shows the rendered lines and the template line they came from', () => {
    const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  motd: {{values.motd}}\n';
    const r = slipway(['render', '--dir', chart({ 'cm.yaml': template }, { 'deploy/values.yaml': 'name: demo\nreplicas: 1\nmotd: "a: b: c"\n' })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deploy/templates/cm.yaml: rendered document 1 is not valid YAML at rendered line 6');
    expect(r.stderr).toContain('(from template line 6)');
    expect(r.stderr).toMatch(/>\s+6 \|   motd: a: b: c/);
  });

  it('render --debug prints every template as rendered, with line numbers, even when it is not YAML; exit 2 then', () => {
    const dir = chart({ 'a.yaml': CM, 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n data: [\n' });
    const r = slipway(['render', '--dir', dir, '--debug']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('# Source: deploy/templates/a.yaml (rendered, before YAML parsing)\n1 | apiVersion: v1\n');
    expect(r.stdout).toContain('# Source: deploy/templates/b.yaml (rendered, before YAML parsing)');
    expect(r.stdout).toContain('5 |  data: [');
    expect(r.stderr).toContain('not valid YAML');
    const ok = slipway(['render', '--dir', chart({ 'a.yaml': CM }), '--debug']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('4 |   name: demo');
  });

  it('chart files: file and files read the commit, outside templates/; a missing file is exit 2 at the template line', () => {
    const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  app.conf: {{quote (file "files/app.conf")}}\n{{#each (files "files/*.conf")}}\n  {{base @key}}.copy: {{quote this}}\n{{/each}}\n';
    const dir = chart({ 'cm.yaml': template }, { 'deploy/files/app.conf': 'port = 8080\n', 'deploy/files/extra.conf': 'x = 1\n' });
    const r = slipway(['render', '--dir', dir, '--output', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).manifests[0].data).toEqual({ 'app.conf': 'port = 8080\n', 'app.conf.copy': 'port = 8080\n', 'extra.conf.copy': 'x = 1\n' });
    const missing = slipway(['render', '--dir', chart({ 'cm.yaml': 'a: {{file "files/nope.conf"}}\n' })]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('deploy/templates/cm.yaml:1: file: the chart has no file "files/nope.conf"');
  });
});

describe('symbolic links in a chart (real Git links)', () => {
  it('a link to a committed file or directory renders what the commit holds there; one out of the repository is exit 2 at the link', () => {
    const dir = chart({ 'own.yaml': CM }, { 'shared/cm.yaml': CM.replace('{{values.name}}', 'shared'), 'shared/lib/extra.yaml': CM.replace('{{values.name}}', 'extra') });
    symlinkSync('../../shared/cm.yaml', join(dir, 'deploy/templates/linked.yaml'));
    symlinkSync('../../shared/lib', join(dir, 'deploy/templates/lib'));
    commitAll(dir, 'links');
    const ok = slipway(['render', '--dir', dir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('# Source: deploy/templates/linked.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n');
    expect(ok.stdout).toContain('# Source: deploy/templates/lib/extra.yaml\n');
    // What a link leads to is an input like the chart's own files (SPEC section 4).
    writeFileSync(join(dir, 'shared/cm.yaml'), CM.replace('{{values.name}}', 'edited'));
    writeFileSync(join(dir, 'shared/lib/new.yaml'), CM.replace('{{values.name}}', 'new'));
    const dirty = slipway(['render', '--dir', dir]);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('modified: shared/cm.yaml');
    expect(dirty.stderr).toContain('untracked: shared/lib/new.yaml');
    const dev = slipway(['render', '--dir', dir, '--dev']);
    expect(dev.code, dev.stderr).toBe(0);
    expect(dev.stdout).toContain('  name: edited\n');
    expect(dev.stdout).toContain('# Source: deploy/templates/lib/new.yaml\n');
    git(dir, 'checkout', '--', 'shared/cm.yaml');
    rmSync(join(dir, 'shared/lib/new.yaml'));
    writeFileSync(join(dir, 'secret.txt'), 'not in git\n');
    symlinkSync('/etc/hostname', join(dir, 'deploy/templates/host.yaml'));
    symlinkSync('../../secret.txt', join(dir, 'deploy/templates/secret.yaml'));
    git(dir, 'add', 'deploy'); // secret.txt stays out of the commit
    git(dir, 'commit', '-q', '-m', 'bad links');
    const bad = slipway(['render', '--dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('deploy/templates/host.yaml: symbolic link to "/etc/hostname": outside the repository (only the commit is read)');
    expect(bad.stderr).toContain('deploy/templates/secret.yaml: symbolic link to "../../secret.txt": not in the commit');
  });
});
