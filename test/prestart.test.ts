// bin/slipway starts the project's Git snapshot before loading the CLI (src/cli/prestart.ts). A
// `git` on PATH that logs its calls shows the snapshot taken (one rev-parse per run), a wrong guess
// discarded (the command's own directory read instead), and nothing left running afterwards.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StartedSnapshot } from '../src/adapters/git-snapshot.js';
import { slipway } from './helpers/cli.js';
import { git, gitRepo, tempDir, type FileTree } from './helpers/git-fixture.js';

const PROJECT: FileTree = {
  'slipway.yaml': 'project: app\nrepo: registry.example.com/app\nimages:\n  web: {}\n',
  Dockerfile: 'FROM scratch\nCOPY index.html /\n',
  'index.html': 'hi\n',
  'deploy/values.yaml': 'name: demo\n',
  'deploy/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{values.name}}\ndata:\n  image: {{images.web.ref}}\n',
};

/** PATH with a `git` that appends "<cwd> <args>" to the returned log, then runs the real git. */
function loggingGit(): { path: string; calls: () => string[] } {
  const bin = tempDir();
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nprintf '%s %s\\n' "$PWD" "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, 'git'), 0o755);
  return { path: `${bin}:${process.env.PATH}`, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const revParses = (calls: string[]) => calls.filter((c) => / rev-parse --show-toplevel /.test(c));

describe('the snapshot started before the CLI loads', () => {
  it('is the one the command reads: one rev-parse, one ls-tree, one status per run', () => {
    const dir = gitRepo(PROJECT);
    const logged = loggingGit();
    const r = slipway(['render', '--dir', dir], { env: { PATH: logged.path } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: demo');
    const calls = logged.calls();
    expect(revParses(calls)).toEqual([`${dir} rev-parse --show-toplevel --show-prefix HEAD^{commit}`]);
    expect(calls.filter((c) => c.includes(' ls-tree '))).toHaveLength(1);
    expect(calls.filter((c) => c.includes(' status '))).toHaveLength(1);
  });

  it('is discarded when commander reads the flags otherwise: the output is that of the right project', () => {
    const [a, b] = [gitRepo(PROJECT), gitRepo({ ...PROJECT, 'deploy/values.yaml': 'name: other\n' })];
    const expected = slipway(['render', '--dir', a]);
    expect(expected.code).toBe(0);
    const logged = loggingGit();
    // `--set` takes the next argument as its value: commander reads --dir a, the guess says b.
    const r = slipway(['render', '--dir', a, '--set', `--dir=${b}`], { env: { PATH: logged.path } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected.stdout);
    expect(revParses(logged.calls()).map((c) => c.split(' ')[0])).toEqual(expect.arrayContaining([a, b]));
  });

  it('with an explicit commit runs no status and lists that commit', () => {
    const dir = gitRepo(PROJECT);
    const first = git(dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(dir, 'index.html'), 'changed\n');
    git(dir, 'commit', '-qam', 'second');
    const logged = loggingGit();
    const r = slipway(['digest', '--dir', dir, '--commit', first, '--output', 'json'], { env: { PATH: logged.path } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).commit).toBe(first);
    expect(revParses(logged.calls())).toHaveLength(1);
    expect(logged.calls().filter((c) => c.includes(' status '))).toEqual([]);
  });

  it('is taken once, for its own directory and commit only', async () => {
    const dir = gitRepo(PROJECT);
    const started = new StartedSnapshot(dir, undefined);
    expect(started.take(dir, 'HEAD')).toBeUndefined();
    expect(started.take(tempDir(), undefined)).toBeUndefined();
    const snapshot = await started.take(dir, undefined);
    expect(snapshot?.commit).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    expect(snapshot?.tree).toBe(git(dir, 'ls-tree', '-r', '-z', '--full-tree', 'HEAD'));
    expect(await snapshot?.status).toBe('');
    expect(started.take(dir, undefined)).toBeUndefined();
    started.discard(); // taken: nothing to stop
  });

  it('once discarded, leaves no process or pipe that keeps Node alive', async () => {
    const dir = gitRepo(PROJECT);
    // The handles themselves, not a count: an earlier test's processes may still be closing theirs.
    const handles = () => new Set((process as unknown as { _getActiveHandles(): object[] })._getActiveHandles());
    const before = handles();
    const started = new StartedSnapshot(dir, undefined);
    const its = [...handles()].filter((h) => !before.has(h));
    expect(its.length).toBeGreaterThan(0);
    started.discard();
    // Closed handles go in the loop's close phase: one full turn later, after a second check phase.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    const after = handles();
    expect(its.filter((h) => after.has(h))).toEqual([]);
    expect(started.take(dir, undefined)).toBeUndefined();
  });
});
