// `slipway cleanup` (issue 15) against the stack's registry and a kubesim: Git history, release
// records and running pods keep their tags; the rest is deleted (or, with --dry-run, listed).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReference } from '../src/core/image-ref.js';
import { RegistryClient } from '../src/adapters/registry/client.js';
import { startRegistryWithoutDeletes } from './helpers/auth-registry.js';
import { slipwayAsync } from './helpers/cli.js';
import { run, startCluster, uniqueRepo } from './helpers/deploy-fixture.js';
import { commitAll, git, gitRepo, tempDir, writeTree } from './helpers/git-fixture.js';
import type { RunningKubesim } from './helpers/kubesim.js';
import { stackEnv } from './helpers/stack.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startCluster('fake');
});
afterAll(() => sim?.stop());

const PROJECT = {
  'slipway.yaml': 'project: tidy\nimages:\n  web: {}\n',
  Dockerfile: 'FROM busybox:stable\nCOPY index.html /www/\n',
  'index.html': 'v1\n',
  'deploy/values.yaml': '{}\n',
  'deploy/templates/pod.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: "{{images.web.ref}}"}]\n',
};

const anonymous = { get: async () => null };

describe('slipway cleanup', () => {
  it('keeps what history, releases and pods need; deletes the rest; --dry-run deletes nothing', async () => {
    const dir = gitRepo(PROJECT);
    const repo = uniqueRepo('tidy');
    const commits: string[] = [git(dir, 'rev-parse', 'HEAD').trim()];
    for (let v = 2; v <= 5; v++) {
      writeTree(dir, { 'index.html': `v${v}\n` });
      commits.push(commitAll(dir, `v${v}`));
    }
    const digests: string[] = [];
    for (const commit of commits) {
      const built = await run(sim, dir, ['build', '--commit', commit, '--repo', repo, '--output', 'json']);
      expect(built.code, built.stderr).toBe(0);
      digests.push(built.json.images[0].digest);
    }
    // Commit 2 is deployed; commit 3's image runs in a pod nobody recorded.
    const deployed = await run(sim, dir, ['converge', '--commit', commits[1]!, '--repo', repo, '--namespace', 'tidy']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(sim.kubectl(['run', 'stray', '-n', 'default', `--image=${repo}/web:${digests[2]}`]).code).toBe(0);

    const args = ['cleanup', '--repo', repo, '--keep-commits', '1', '--keep-younger-than', '0s', '--output', 'json'];
    const dry = await run(sim, dir, [...args, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = Object.fromEntries(dry.json.tags.map((t: { tag: string; action: string; reason: string }) => [t.tag, `${t.action}: ${t.reason}`]));
    expect(plan).toEqual({
      [digests[0]!]: 'delete: not needed',
      [digests[1]!]: expect.stringMatching(/^keep: release tidy\/tidy revision 1$/),
      [digests[2]!]: 'keep: pod default/stray',
      [digests[3]!]: 'delete: not needed',
      [digests[4]!]: `keep: commit ${commits[4]!.slice(0, 12)}`,
    });
    const client = new RegistryClient({ credentials: anonymous });
    const tags = async () => (await client.tags(parseReference(`${repo}/web`))).sort();
    const withRecords = (ds: string[]) => ds.flatMap((d) => [d, `${d}.pushed`]).sort();
    expect(await tags()).toEqual(withRecords(digests));

    const real = await run(sim, dir, args);
    expect(real.code, real.stderr).toBe(0);
    expect(real.json.tags.filter((t: { deleted: boolean }) => t.deleted).map((t: { tag: string }) => t.tag).sort()).toEqual([digests[0], digests[3]].sort());
    // A deleted tag's build record goes with it; the kept tags keep theirs.
    expect(await tags()).toEqual(withRecords([digests[1]!, digests[2]!, digests[4]!]));
    const text = await run(sim, dir, ['cleanup', '--repo', repo, '--keep-commits', '1', '--keep-younger-than', '0s', '--dry-run']);
    expect(text.stdout).toMatch(/^IMAGE +TAG +ACTION +REASON +AGE$/m);
    expect(text.stdout).toContain('0 tags would be deleted, 3 kept');
  });

  it('a shallow clone is exit 2; a registry that refuses deletes is exit 3 with the hint', async () => {
    const origin = gitRepo(PROJECT);
    writeTree(origin, { 'index.html': 'v2\n' });
    commitAll(origin, 'v2');
    const shallow = join(tempDir(), 'shallow');
    git(tempDir(), 'clone', '-q', '--depth', '1', `file://${origin}`, shallow);
    const r = await run(sim, shallow, ['cleanup', '--repo', uniqueRepo('tidy')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('this clone is shallow');
    expect(r.stderr).toMatch(/hint: git fetch --unshallow/);

    // Debian's docker-registry with deletes disabled (distribution's default), holding an old build.
    const registry = await startRegistryWithoutDeletes(tempDir());
    try {
      const project = gitRepo(PROJECT);
      const built = await run(sim, project, ['build', '--repo', `${registry.host}/x`]);
      expect(built.code, built.stderr).toBe(0);
      writeTree(project, { 'index.html': 'newer\n' });
      commitAll(project, 'newer');
      const refused = await slipwayAsync(['cleanup', '--dir', project, '--repo', `${registry.host}/x`, '--keep-commits', '1', '--keep-younger-than', '0s'], {
        env: { KUBECONFIG: sim.kubeconfig, DOCKER_HOST: stackEnv().DOCKER_HOST },
      });
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.stderr).toContain(`registry ${registry.host} does not allow deletes`);
      expect(refused.stderr).toMatch(/hint: enable deletes in the registry/);
    } finally {
      await registry.stop();
    }
  });

  it('a release record that cannot be read is exit 3 naming it, and nothing is deleted', async () => {
    const dir = gitRepo(PROJECT);
    const ns = 'tidy-damaged';
    expect(sim.kubectl(['create', 'namespace', ns]).code).toBe(0);
    const secret = `apiVersion: v1\nkind: Secret\ntype: slipway.dev/release\nmetadata:\n  name: slipway.release.tidy.v1\n  labels: {slipway.dev/release-record: tidy}\ndata:\n  release: bm90IGd6aXA=\n`;
    expect(sim.kubectl(['apply', '-n', ns, '-f', '-'], { input: secret }).code).toBe(0);
    const r = await run(sim, dir, ['cleanup', '--repo', uniqueRepo('tidy'), '--dry-run']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('1 release record cannot be read: what it keeps in use is unknown, so nothing was deleted');
    expect(r.stderr).toContain(`${ns}/slipway.release.tidy.v1`);
    // Gone before the next test reads every namespace.
    expect(sim.kubectl(['delete', 'secret', 'slipway.release.tidy.v1', '-n', ns]).code).toBe(0);
    expect(sim.kubectl(['delete', 'namespace', ns, '--wait=false']).code).toBe(0);
  });

  it('a cluster that cannot be read is exit 3, never "nothing in use"', async () => {
    const dir = gitRepo(PROJECT);
    const r = await run(sim, dir, ['cleanup', '--repo', uniqueRepo('tidy'), '--kube-context', 'kubesim-readonly', '--kube-context', 'kubesim', '--dry-run']);
    // The read-only token may read: both contexts work.
    expect(r.code, r.stderr).toBe(0);
    const broken = await run(sim, dir, ['cleanup', '--repo', uniqueRepo('tidy'), '--dry-run'], { KUBECONFIG: '/nonexistent/kubeconfig' });
    expect(broken.code).toBe(3);
  });
});
