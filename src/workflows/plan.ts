// `slipway plan`: render as converge would (images in the registry pinned, the others marked
// "to be built"), dry-run every object on the server, and diff against the live objects; objects
// of the last deployed revision that this commit no longer renders are deletions.
import { maskSecrets, diffObjects } from '../core/release/compare.js';
import { pruneCandidates, type InventoryItem } from '../core/release/records.js';
import { releaseIdentity } from '../core/naming.js';
import { describeRef, type Cluster, type Registry, type Reporter, type SourceRepo, type TemplateCache } from '../ports/index.js';
import { dryRunAll } from './steps/apply.js';
import { digestImages, requireRepositories, type ImageOptions } from './steps/images.js';
import { chartDir, renderChart, type ValuesOptions } from './steps/manifests.js';
import { registryDigests } from './steps/presence.js';
import { loadProject, type ProjectOptions } from './steps/project.js';
import { listRecords } from './steps/records.js';

export interface PlanOptions extends ProjectOptions, ImageOptions, ValuesOptions {
  release?: string;
  namespace?: string;
  signal?: AbortSignal;
}

export interface PlannedChange {
  kind: string;
  namespace: string | null;
  name: string;
  action: 'create' | 'update' | 'delete' | 'unchanged';
  diff: string;
}

export interface PlanResult {
  release: string;
  namespace: string;
  commit: string;
  images: { name: string; ref: string; digest: string; present: boolean }[];
  changes: PlannedChange[];
}

export async function planWorkflow(options: PlanOptions, deps: { source: SourceRepo; reporter: Reporter; registry: () => Registry; cluster: () => Promise<Cluster>; templates?: TemplateCache }): Promise<PlanResult> {
  const project = await loadProject(options, deps, { deferCleanCheck: true }); // digestImages checks every input
  const chart = chartDir(project);
  const images = await digestImages(project, options, deps.reporter, { files: [], dirs: [chart] });
  requireRepositories(images);
  const { release, namespace } = releaseIdentity({ project: project.config.project, ...project.config.deploy }, options);
  const cluster = await deps.cluster();
  const registry = deps.registry();
  const manifestsOf = await registryDigests(images, registry, options.signal);
  const pinned = images.map((i, n) => ({ ...i, ref: manifestsOf[n] ? `${i.ref}@${manifestsOf[n]}` : i.ref }));
  const { manifests } = await renderChart(project, chart, pinned, { ...options, release, namespace, templateCache: deps.templates });

  const namespaces = new Set(manifests.map((m) => m.object.metadata.namespace as string | undefined).filter((n): n is string => Boolean(n)));
  const missing = new Set<string>();
  for (const ns of namespaces) if (!(await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }, options.signal))) missing.add(ns);
  const planned = await dryRunAll({ cluster, reporter: deps.reporter, signal: options.signal }, manifests, { missingNamespaces: missing });
  const changes: PlannedChange[] = planned.map((p) => {
    const [before, after] = maskSecrets(p.live, p.predicted ?? p.object);
    const action = p.action === 'created' ? 'create' : p.action === 'updated' ? 'update' : 'unchanged';
    return { kind: p.object.kind, namespace: p.object.metadata.namespace ?? null, name: p.object.metadata.name, action, diff: action === 'unchanged' ? '' : diffObjects(before, after, p.id) };
  });
  const deployed = missing.has(namespace) ? undefined : (await listRecords(cluster, namespace, release, options.signal)).find((r) => r.status === 'deployed');
  const current: InventoryItem[] = manifests.map((m) => ({ apiVersion: m.object.apiVersion, kind: m.object.kind, name: m.object.metadata.name, namespace: m.object.metadata.namespace as string | undefined }));
  for (const gone of pruneCandidates(deployed?.inventory ?? [], current)) {
    const live = await cluster.get(gone, options.signal).catch(() => null);
    if (!live) continue;
    const [before] = maskSecrets(live, null);
    changes.push({ kind: gone.kind, namespace: gone.namespace ?? null, name: gone.name, action: 'delete', diff: diffObjects(before, null, describeRef(gone)) });
  }
  return {
    release,
    namespace,
    commit: project.tree.commit,
    images: pinned.map((i, n) => ({ name: i.name, ref: i.ref!, digest: i.digest, present: manifestsOf[n] !== null })),
    changes,
  };
}
