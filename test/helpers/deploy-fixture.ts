// Deploy tests: a kubesim of their own (so faults and watches stay theirs), projects committed to
// Git, and the built CLI run against both with the stack's Docker engine and registry.
import { cpSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { slipwayAsync, ROOT, type CliResult } from './cli.js';
import { commitAll, git, tempDir } from './git-fixture.js';
import { startKubesim, type RunningKubesim } from './kubesim.js';
import { stackEnv, uniqueRepo } from './stack.js';

export { uniqueRepo };

export async function startCluster(kubelet: 'fake' | 'docker' = 'fake', extra: string[] = []): Promise<RunningKubesim> {
  return startKubesim(['--kubelet', kubelet, '--backoff-scale', '0.2', ...extra], { DOCKER_HOST: stackEnv().DOCKER_HOST });
}

/** A committed copy of examples/<name> (optionally with changed files); returns the project dir. */
export function exampleRepo(name: string, files: Record<string, string | null> = {}): string {
  const dir = tempDir('slipway-deploy-');
  git(dir, 'init', '-q', '-b', 'main');
  cpSync(join(ROOT, 'examples', name), join(dir, name), { recursive: true });
  commitAll(dir, 'example');
  const project = join(dir, name);
  if (Object.keys(files).length) change(project, files);
  return project;
}

/** Writes (or with null deletes) files of a project and commits them. */
export function change(project: string, files: Record<string, string | null>): void {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) git(project, 'rm', '-q', path);
    else writeFileSync(join(project, path), content);
  }
  commitAll(project, 'change');
}

/** Runs slipway against the kubesim; `--output json` results come back parsed in `json`. */
export async function run(sim: RunningKubesim, project: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult & { json?: any }> {
  const r = await slipwayAsync([...args, '--dir', project], {
    env: { KUBECONFIG: sim.kubeconfig, DOCKER_HOST: stackEnv().DOCKER_HOST, SLIPWAY_REPO: undefined, ...env },
  });
  let json: unknown;
  if (args.includes('json')) {
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = undefined;
    }
  }
  return { ...r, json };
}

/** resourceVersions of every object kubectl lists in a namespace, by kind/name. */
export function resourceVersions(sim: RunningKubesim, namespace: string, kinds = 'deployments,statefulsets,services,configmaps,secrets,jobs'): Record<string, string> {
  const r = sim.kubectl(['get', kinds, '-n', namespace, '-o', 'json']);
  if (r.code !== 0) throw new Error(r.stderr);
  const items = (JSON.parse(r.stdout) as { items: { kind: string; metadata: { name: string; resourceVersion: string } }[] }).items;
  return Object.fromEntries(items.map((i) => [`${i.kind}/${i.metadata.name}`, i.metadata.resourceVersion]));
}

export interface Watched {
  type: string;
  kind: string;
  name: string;
  complete: boolean;
}

/** Watches collections from now on and records the events in order (for apply-order tests). */
export function watchOrder(sim: RunningKubesim, paths: string[]): { events: Watched[]; stop(): void } {
  const events: Watched[] = [];
  const requests = paths.map((path) => {
    const req = request(new URL(`${path}?watch=1`, sim.server), { ca: sim.ca, headers: { Authorization: `Bearer ${sim.token}` } }, (res) => {
      let buffered = '';
      res.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (!line.trim()) continue;
          const e = JSON.parse(line) as { type: string; object: { kind: string; metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } } };
          const complete = (e.object.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
          events.push({ type: e.type, kind: e.object.kind, name: e.object.metadata.name, complete });
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', () => undefined);
    req.end();
    return req;
  });
  return { events, stop: () => requests.forEach((r) => r.destroy()) };
}
