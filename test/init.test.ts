// `slipway init` (issue 15): a project from the Dockerfiles alone, that digest, render and
// converge accept as written.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slipway } from './helpers/cli.js';
import { exampleRepo, run, startCluster, uniqueRepo } from './helpers/deploy-fixture.js';
import { commitAll } from './helpers/git-fixture.js';
import type { RunningKubesim } from './helpers/kubesim.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startCluster('fake');
});
afterAll(() => sim?.stop());

/** examples/shop without its slipway.yaml and chart: only the Dockerfiles and sources. */
function bareShop(): string {
  const project = exampleRepo('shop');
  rmSync(join(project, 'slipway.yaml'));
  rmSync(join(project, 'deploy'), { recursive: true });
  commitAll(project, 'no slipway yet');
  return project;
}

describe('slipway init', () => {
  it('writes a project that digest, render and converge accept as is', async () => {
    const project = bareShop();
    const dry = slipway(['init', '--dir', project, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('--- slipway.yaml\n');
    expect(existsSync(join(project, 'slipway.yaml'))).toBe(false);

    const r = slipway(['init', '--dir', project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote slipway.yaml\n');
    expect(r.stderr).toContain('slipway converge');
    const config = readFileSync(join(project, 'slipway.yaml'), 'utf8');
    expect(config).toMatch(/^# yaml-language-server: \$schema=\S+slipway\.schema\.json$/m);
    expect(config).toContain('  api:\n    context: services/api\n    target: runtime\n');
    expect(config).toContain('    dependencies:\n      - image: api\n        arg: API_IMAGE\n');
    commitAll(project, 'slipway init');

    expect(slipway(['digest', '--dir', project]).code).toBe(0);
    const repo = uniqueRepo('init');
    const rendered = slipway(['render', '--dir', project, '--repo', repo]);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(rendered.stdout).toMatch(/kind: Job\n[\s\S]*name: shop-migrate-[0-9a-f]{12}/);
    const converged = await run(sim, project, ['converge', '--repo', repo, '--namespace', 'init-shop', '--output', 'json', '--timeout', '90s']);
    expect(converged.code, converged.stderr).toBe(0);
    expect(converged.json.resources.map((x: { kind: string; status: string }) => `${x.kind}:${x.status}`).sort()).toEqual(
      ['ConfigMap:ready', 'Deployment:ready', 'Deployment:ready', 'Job:ready', 'Service:ready'].sort(),
    );
  });

  it('never overwrites without --force; --force replaces', () => {
    const project = bareShop();
    expect(slipway(['init', '--dir', project]).code).toBe(0);
    const again = slipway(['init', '--dir', project]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/init would overwrite \d+ files\n(.*\n)*\s+slipway\.yaml\n/);
    expect(again.stderr).toContain('hint: pass --force');
    const forced = slipway(['init', '--dir', project, '--force', '--image', 'backend=services/api']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('replaced slipway.yaml');
    expect(readFileSync(join(project, 'slipway.yaml'), 'utf8')).toContain('  backend:\n    context: services/api\n');
  });

  it('a directory without Dockerfiles is exit 2 with a hint', () => {
    const project = bareShop();
    rmSync(join(project, 'services'), { recursive: true });
    const r = slipway(['init', '--dir', project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Dockerfile under/);
    expect(r.stderr).toMatch(/\nhint: /);
  });
});
