// SPEC section 4: inputs come from the commit; dirty inputs stop the run unless --dev.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slipway } from './helpers/cli.js';
import { BASE_PROJECT, digests, PINNED } from './helpers/digest-fixture.js';
import { commitAll, git, gitRepo, tempDir, writeTree } from './helpers/git-fixture.js';

const CHART = {
  'deploy/values.yaml': 'replicas: 1\n',
  'deploy/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  web: {{images.web.ref}}\n',
};

describe('giterminism', () => {
  it('a modified input stops with exit 2 and lists it', () => {
    const dir = gitRepo(BASE_PROJECT);
    writeTree(dir, { 'src/main.js': 'edited\n', 'config.json': '{}\n' });
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 input files differ from commit');
    expect(r.stderr).toContain('modified: config.json');
    expect(r.stderr).toContain('modified: src/main.js');
    expect(r.stderr).toContain('--dev');
    expect(r.stdout).toBe('');
  });

  it('an untracked file that a COPY would reach is an input; a staged edit too', () => {
    const dir = gitRepo(BASE_PROJECT);
    writeTree(dir, { 'src/new.js': '1\n', 'src/new.test.js': 'ignored by .dockerignore\n' });
    let r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('untracked: src/new.js');
    expect(r.stderr).not.toContain('new.test.js');
    rmSync(join(dir, 'src/new.js'));
    writeTree(dir, { 'worker.sh': 'staged\n' });
    git(dir, 'add', 'worker.sh');
    r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('modified: worker.sh');
  });

  it('a dirty slipway.yaml or Dockerfile stops the run', () => {
    const dir = gitRepo(BASE_PROJECT);
    writeTree(dir, { 'slipway.yaml': `${BASE_PROJECT['slipway.yaml'] as string}# edited\n` });
    expect(slipway(['digest', '--dir', dir]).stderr).toContain('modified: slipway.yaml');
    git(dir, 'checkout', '--', 'slipway.yaml');
    rmSync(join(dir, 'Dockerfile.worker'));
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('deleted: Dockerfile.worker');
  });

  it('modified files that are not inputs do not matter', () => {
    const dir = gitRepo(BASE_PROJECT);
    writeTree(dir, { 'README.md': 'edited\n', 'docs/new.md': 'untracked\n', 'src/x.test.js': 'ignored\n' });
    const r = slipway(['digest', '--dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('--dev uses the working tree; on a clean tree it equals the commit', async () => {
    const dir = gitRepo({ ...BASE_PROJECT, 'src/run.sh': { content: '#!/bin/sh\n', mode: 0o755 }, 'src/link': { symlink: 'main.js' } });
    const committed = await digests(dir);
    expect(await digests(dir, { dev: true })).toEqual(committed);

    writeTree(dir, { 'src/main.js': 'edited\n', 'src/brand-new.js': 'new\n' });
    const r = slipway(['digest', '--dir', dir, '--dev', '--output', 'json']);
    expect(r.code).toBe(0);
    const dev = Object.fromEntries((JSON.parse(r.stdout) as { images: { name: string; digest: string }[] }).images.map((i) => [i.name, i.digest]));
    expect(dev.web).not.toBe(committed.web);

    // Committing exactly that working tree gives exactly the --dev digests.
    commitAll(dir);
    expect(await digests(dir)).toEqual(dev);
  });

  it('--dev hashes a chmod, a new symlink and a deletion as git would', async () => {
    const dir = gitRepo(BASE_PROJECT);
    chmodSync(join(dir, 'src/util.js'), 0o755);
    symlinkSync('util.js', join(dir, 'src/alias.js'));
    rmSync(join(dir, 'src/main.js'));
    const dev = await digests(dir, { dev: true });
    commitAll(dir);
    expect(await digests(dir)).toEqual(dev);
  });

  it('SLIPWAY_DEV=true enables --dev, SLIPWAY_DEV=false does not', () => {
    const dir = gitRepo(BASE_PROJECT);
    writeTree(dir, { 'src/main.js': 'edited\n' });
    expect(slipway(['digest', '--dir', dir], { env: { SLIPWAY_DEV: 'false' } }).code).toBe(2);
    expect(slipway(['digest', '--dir', dir], { env: { SLIPWAY_DEV: 'true' } }).code).toBe(0);
  });

  it('render treats the chart as input, digest does not', () => {
    const dir = gitRepo({ ...BASE_PROJECT, ...CHART });
    writeTree(dir, { 'deploy/values.yaml': 'replicas: 2\n' });
    expect(slipway(['digest', '--dir', dir]).code).toBe(0);
    const r = slipway(['render', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('modified: deploy/values.yaml');
    expect(slipway(['render', '--dir', dir, '--dev']).code).toBe(0);
  });

  it('works for a project in a subdirectory of the repository (monorepo)', async () => {
    const files = Object.fromEntries(Object.entries({ ...BASE_PROJECT, ...CHART }).map(([k, v]) => [`apps/shop/${k}`, v]));
    const dir = gitRepo({ ...files, 'other/README.md': 'another project\n' });
    const nested = await digests(join(dir, 'apps/shop'));
    expect(nested).toEqual(await digests(gitRepo({ ...BASE_PROJECT, ...CHART })));

    writeTree(dir, { 'other/README.md': 'dirty elsewhere\n' });
    mkdirSync(join(dir, 'apps/shop/sub'), { recursive: true });
    // --dir relative to the current directory, and a dirty file outside the project: fine.
    const r = slipway(['render', '--dir', 'apps/shop'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`web: registry.example.com/app/web:${nested.web}`);

    // From any subdirectory of the project, --dir names the project relative to it.
    writeTree(dir, { 'apps/shop/sub/notes.txt': 'untracked, outside every input\n' });
    const fromSub = slipway(['digest', '--dir', '..', '--output', 'json'], { cwd: join(dir, 'apps/shop/sub') });
    expect(fromSub.code, fromSub.stderr).toBe(0);
    expect(Object.fromEntries((JSON.parse(fromSub.stdout) as { images: { name: string; digest: string }[] }).images.map((i) => [i.name, i.digest]))).toEqual(nested);

    writeTree(dir, { 'apps/shop/src/main.js': 'dirty\n' });
    const dirty = slipway(['digest'], { cwd: join(dir, 'apps/shop') });
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('modified: apps/shop/src/main.js');
  });

  it('a submodule is not part of a build context: its files never reach a digest, and COPY of it is exit 2', () => {
    const lib = gitRepo({ 'lib.sh': 'echo lib\n' });
    const dir = gitRepo(BASE_PROJECT);
    const before = slipway(['digest', '--dir', dir, '--output', 'json']);
    git(dir, '-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', lib, 'src/vendor-lib');
    commitAll(dir, 'submodule');
    const after = slipway(['digest', '--dir', dir, '--output', 'json']);
    expect(after.code, after.stderr).toBe(0);
    // src/ is copied, and the submodule inside it adds nothing.
    expect(JSON.parse(after.stdout).images).toEqual(JSON.parse(before.stdout).images);
    writeTree(dir, { Dockerfile: `FROM ${PINNED}\nCOPY src/vendor-lib/lib.sh /lib.sh\n` });
    commitAll(dir, 'copy from the submodule');
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Dockerfile:2: COPY source "src/vendor-lib/lib.sh" is not in the build context');
  });

  it('outside a Git work tree: exit 2 with what to do', () => {
    const dir = tempDir();
    writeTree(dir, BASE_PROJECT);
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not inside a Git work tree');
    expect(r.stderr).toContain('hint:');
  });
});
