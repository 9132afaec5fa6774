// The registry adapter against the stack's registry: presence, tags, delete (for cleanup).
import { parseReference } from '../src/core/image-ref.js';
import { describe, expect, it } from 'vitest';
import { RegistryClient } from '../src/adapters/registry/client.js';
import { slipway } from './helpers/cli.js';
import { gitRepo } from './helpers/git-fixture.js';
import { stackEnv, uniqueRepo } from './helpers/stack.js';

const anonymous = { get: async () => null };

describe('RegistryClient', () => {
  it('lists tags and deletes a manifest by digest', async () => {
    const repo = uniqueRepo('tags');
    const refs: string[] = [];
    for (const n of [1, 2]) {
      const dir = gitRepo({ 'slipway.yaml': 'project: tags\nimages:\n  app: {}\n', Dockerfile: 'FROM busybox:stable\nCOPY n.txt /\n', 'n.txt': `${n}\n` });
      const r = slipway(['build', '--dir', dir, '--repo', repo, '--output', 'json'], { env: { DOCKER_HOST: stackEnv().DOCKER_HOST } });
      expect(r.code, r.stderr).toBe(0);
      refs.push((JSON.parse(r.stdout) as { images: { ref: string }[] }).images[0]!.ref);
    }
    const client = new RegistryClient({ credentials: anonymous });
    const tags = await client.tags(parseReference(`${repo}/app`));
    // Each image tag, and the build record beside it (`<digest>.pushed`: commit and push time).
    expect(tags.sort()).toEqual(refs.flatMap((r) => [r.split(':').at(-1)!, `${r.split(':').at(-1)!}.pushed`]).sort());

    const digest = (await client.manifestDigest(parseReference(refs[0]!)))!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await client.deleteManifest(parseReference(`${repo}/app`), digest);
    expect(await client.manifestDigest(parseReference(refs[0]!))).toBeNull();
    expect(await client.manifestDigest(parseReference(refs[1]!))).toMatch(/^sha256:/);
    expect(await client.tags(parseReference(`${repo}/missing`))).toEqual([]);
  });

  it('render --resolve pins refs to the registry manifest', () => {
    const dir = gitRepo({
      'slipway.yaml': 'project: pin\nimages:\n  app: {}\n',
      Dockerfile: 'FROM busybox:stable\nCOPY a.txt /\n',
      'a.txt': 'a\n',
      'deploy/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pin\ndata:\n  ref: {{images.app.ref}}\n  tag: {{images.app.tag}}\n',
    });
    const repo = uniqueRepo('pin');
    const env = { DOCKER_HOST: stackEnv().DOCKER_HOST };
    const built = JSON.parse(slipway(['build', '--dir', dir, '--repo', repo, '--output', 'json'], { env }).stdout) as { images: { ref: string; digest: string; manifest: string }[] };
    const image = built.images[0]!;
    const r = slipway(['render', '--dir', dir, '--repo', repo, '--resolve'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`ref: ${image.ref}@${image.manifest}`);
    expect(r.stdout).toContain(`tag: ${image.digest}`);
  });
});
