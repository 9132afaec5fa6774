// SPEC section 5 consequences, each against a real Git repository.
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_PROJECT, digests } from './helpers/digest-fixture.js';
import { cloneRepo, commitAll, git, gitRepo, writeTree } from './helpers/git-fixture.js';

type Change = (dir: string) => void;
const write = (files: Record<string, string>): Change => (dir) => writeTree(dir, files);
const dockerfileWith = (text: string): Change => write({ Dockerfile: text });
const base = BASE_PROJECT.Dockerfile as string;

const cases: [string, Change, { web: boolean; worker: boolean }][] = [
  ['editing a file no COPY reaches', write({ 'README.md': '# changed\n', 'docs/guide.md': 'new\n' }), { web: false, worker: false }],
  ['editing an ignored file inside a copied dir', write({ 'src/main.test.js': 'changed()\n' }), { web: false, worker: false }],
  ['adding an unrelated file', write({ 'notes/todo.txt': 'x\n' }), { web: false, worker: false }],
  ['editing a copied file (and the dependent image)', write({ 'src/main.js': 'console.log("v2")\n' }), { web: true, worker: true }],
  ['adding a file to a copied dir', write({ 'src/extra.js': '1\n' }), { web: true, worker: true }],
  ['renaming a copied file', (d) => renameSync(join(d, 'src/util.js'), join(d, 'src/helpers.js')), { web: true, worker: true }],
  ['chmod +x on a copied file', (d) => chmodSync(join(d, 'src/util.js'), 0o755), { web: true, worker: true }],
  ['deleting a copied file', (d) => rmSync(join(d, 'src/util.js')), { web: true, worker: true }],
  ['a comment-only Dockerfile edit', dockerfileWith(base.replace('# copy the sources', '# copy everything we need\n# (second comment)')), { web: false, worker: false }],
  ['blank lines, keyword case and continuations', dockerfileWith(base.replace('COPY config.json /app/', '\ncopy \\\n  config.json /app/\n\n')), { web: false, worker: false }],
  ['changing an instruction', dockerfileWith(base.replace('> /mode', '>> /mode')), { web: true, worker: true }],
  ['a different build arg value', write({ 'slipway.yaml': (BASE_PROJECT['slipway.yaml'] as string).replace('prod', 'dev') }), { web: true, worker: true }],
  ['a build arg the Dockerfile does not declare', write({ 'slipway.yaml': (BASE_PROJECT['slipway.yaml'] as string).replace('MODE: prod', 'MODE: prod, OTHER: x') }), { web: false, worker: false }],
  ['another platform', write({ 'slipway.yaml': (BASE_PROJECT['slipway.yaml'] as string).replace('args:', 'platform: linux/arm64\n    args:') }), { web: true, worker: true }],
  ['.dockerignore excluding a copied file', write({ '.dockerignore': '**/*.test.js\nsrc/util.js\n' }), { web: true, worker: true }],
  ['editing only the dependent image input', write({ 'worker.sh': 'echo more work\n' }), { web: false, worker: true }],
  ['<Dockerfile>.dockerignore replacing .dockerignore', write({ 'Dockerfile.dockerignore': 'src/util.js\n' }), { web: true, worker: true }],
  ['a worker-only .dockerignore does not touch web', write({ 'Dockerfile.worker.dockerignore': 'README.md\n' }), { web: false, worker: false }],
  ['a different repo (the digest never depends on it)', write({ 'slipway.yaml': (BASE_PROJECT['slipway.yaml'] as string).replace('registry.example.com/app', 'other.example.com/x') }), { web: false, worker: false }],
];

describe('image digest', () => {
  it.each(cases)('%s', async (_name, change, expected) => {
    const dir = gitRepo(BASE_PROJECT);
    const before = await digests(dir);
    change(dir);
    commitAll(dir);
    const after = await digests(dir);
    expect({ web: after.web !== before.web, worker: after.worker !== before.worker }).toEqual(expected);
  });

  it('is identical in two clones at different absolute paths', async () => {
    const dir = gitRepo(BASE_PROJECT);
    const [a, b, c] = await Promise.all([digests(dir), digests(cloneRepo(dir)), digests(cloneRepo(dir))]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a.web).toMatch(/^[0-9a-f]{64}$/);
  });

  it('handles JSON-form sources with spaces, flags, globs and bind mounts', async () => {
    const dir = gitRepo({
      ...BASE_PROJECT,
      Dockerfile: `FROM ${'alpine@sha256:' + '0'.repeat(64)}\nCOPY --chown=1:1 --chmod=644 --link ["my file.txt", "/app/"]\nCOPY conf/*.json /etc/\nRUN --mount=type=bind,source=scripts/build.sh,target=/b.sh sh /b.sh\n`,
      'my file.txt': 'spaces\n',
      'conf/a.json': '{}\n',
      'conf/b.yaml': 'not copied\n',
      'scripts/build.sh': 'echo build\n',
    });
    const { digestWorkflow } = await import('../src/workflows/digest.js');
    const { GitSourceRepo } = await import('../src/adapters/git.js');
    const result = await digestWorkflow({ dir, dev: false, strict: false, images: ['web'] }, { source: new GitSourceRepo(), reporter: { emit: () => {} } });
    expect(result.images[0]!.inputs.files.map((f) => f.path)).toEqual(['conf/a.json', 'my file.txt', 'scripts/build.sh']);
  });

  it('does not depend on commit metadata: same tree, other commit, same digests', async () => {
    const dir = gitRepo(BASE_PROJECT);
    const before = await digests(dir);
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'empty commit');
    expect(await digests(dir)).toEqual(before);
  });

  it('--commit reads an older commit', async () => {
    const dir = gitRepo(BASE_PROJECT);
    const first = git(dir, 'rev-parse', 'HEAD').trim();
    const before = await digests(dir);
    writeTree(dir, { 'src/main.js': 'v2\n' });
    commitAll(dir);
    expect(await digests(dir)).not.toEqual(before);
    expect(await digests(dir, { commit: first })).toEqual(before);
  });
});
