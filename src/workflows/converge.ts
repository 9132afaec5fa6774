// `slipway converge`: digests -> render once (a template error costs no build) -> reach the
// cluster -> build what the registry lacks (or --require-built-images) -> render pinned to the
// registry's manifests -> deploy (lock, dry run, apply and track by groups, prune, record).
import { contentDigest } from '../core/content-digest.js';
import { canonicalJson } from '../core/canonical-json.js';
import { releaseIdentity } from '../core/naming.js';
import { EnvironmentError } from '../errors.js';
import type { Cluster, ImageEngine, LayerStore, Registry, Reporter, SourceRepo, TemplateCache } from '../ports/index.js';
import type { BuiltImage } from './steps/build-images.js';
import type { DeployOutcome } from './steps/deploy.js';
import { digestImages, requireRepositories, type ImageDigest, type ImageOptions } from './steps/images.js';
import { chartDir, pinTo, renderChart, type ValuesOptions } from './steps/manifests.js';
import { registryDigests } from './steps/presence.js';
import { loadProject, type ProjectOptions } from './steps/project.js';
import { lockRef } from './steps/lock.js';

export interface ConvergeOptions extends ProjectOptions, ImageOptions, ValuesOptions {
  release?: string;
  namespace?: string;
  parallel: number;
  requireBuiltImages: boolean;
  atomic: boolean;
  timeoutMs: number;
  lockTimeoutMs: number;
  signal?: AbortSignal;
}

export interface ConvergeDeps {
  source: SourceRepo;
  reporter: Reporter;
  registry: () => Registry;
  engine: () => ImageEngine;
  /** Base layers compressed by earlier runs (a cache). */
  layers?: () => LayerStore;
  cluster: () => Promise<Cluster>;
  /** Templates compiled by earlier runs (a cache). */
  templates?: TemplateCache;
  /** Told the release identity as soon as it is known, for the JSON result of a failure. */
  identify?: (identity: { release: string; namespace: string; commit: string }) => void;
}

export interface ConvergeResult extends DeployOutcome {
  release: string;
  namespace: string;
  commit: string;
  images: (BuiltImage | (ImageDigest & { built: false; seconds: 0 }))[];
}

export async function convergeWorkflow(options: ConvergeOptions, deps: ConvergeDeps): Promise<ConvergeResult> {
  // The cluster is reached (and discovery warmed) while the project is read and the registry asked.
  const reachable = (async () => {
    const cluster = await deps.cluster();
    await cluster.isNamespaced('v1', 'Namespace', options.signal); // reachable and authorized, before building
    return cluster;
  })();
  reachable.catch(() => undefined); // awaited below, after the project and the templates had their say
  // The deploy's modules load meanwhile too; the build's only when something is missing.
  const deploying = import('./steps/deploy.js');
  const project = await loadProject(options, deps, { deferCleanCheck: true }); // digestImages checks every input
  const chart = chartDir(project);
  const images = await digestImages(project, options, deps.reporter, { files: [], dirs: [chart] });
  requireRepositories(images);
  const { release, namespace } = releaseIdentity({ project: project.config.project, ...project.config.deploy }, options);
  deps.identify?.({ release, namespace, commit: project.tree.commit });
  // The namespace and the lease are read while the registry is asked and the chart rendered: the
  // deploy's first decision waits for no round trip. A stale read is safe: the lease is taken
  // with a resourceVersion guard, and an absent namespace is read again.
  const firstLook = reachable.then((cluster) => ({
    namespace: cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, options.signal),
    lease: cluster.get(lockRef(namespace, release), options.signal),
  }));
  firstLook.then((look) => [look.namespace, look.lease].forEach((p) => p.catch(() => undefined)), () => undefined);
  // Both renders of the chart share one template environment: templates compile once.
  const identity = { ...options, release, namespace, environments: new Map(), templateCache: deps.templates };
  const registry = deps.registry();
  // The registry's manifest digest of every image, as it answered moments ago: what the refs are pinned to.
  // An unanswered question is asked again by the build step, after the templates are checked.
  const present = await registryDigests(images, registry, options.signal).catch(() => null);
  let built: BuiltImage[] = [];
  let rendered: Awaited<ReturnType<typeof renderChart>>;
  let pinned: ImageDigest[];
  if (present?.every((d) => d !== null)) {
    // Nothing to build: one render, pinned, is also the template check.
    for (const i of images) {
      deps.reporter.emit({ kind: 'step-start', id: i.name, message: `${i.name}: checking ${i.ref}` });
      deps.reporter.emit({ kind: 'step-done', id: i.name, ok: true, message: `${i.name}: present in the registry` });
    }
    pinned = pinTo(images, present);
    rendered = await renderChart(project, chart, pinned, identity);
    await reachable;
  } else {
    await renderChart(project, chart, images, identity); // template errors before any build
    await reachable;
    let digests: (string | null)[];
    if (options.requireBuiltImages) {
      digests = present ?? (await registryDigests(images, registry, options.signal));
      const missing = images.filter((_, n) => digests[n] === null);
      if (missing.length) {
        throw new EnvironmentError(`--require-built-images: ${missing.length} image${missing.length === 1 ? ' is' : 's are'} not in the registry`, {
          details: missing.map((i) => `${i.name}: ${i.ref}`),
          hint: 'run slipway build for this commit first (nothing was built or applied)',
        });
      }
    } else {
      const { buildImages } = await import('./steps/build-images.js');
      built = await buildImages(project, images, { parallel: options.parallel, signal: options.signal }, { reporter: deps.reporter, registry, engine: deps.engine(), ...(deps.layers ? { layers: deps.layers() } : {}) });
      digests = images.map((i) => built.find((b) => b.name === i.name)?.manifest ?? null);
    }
    pinned = pinTo(images, digests);
    rendered = await renderChart(project, chart, pinned, identity);
  }
  const cluster = await reachable;
  const { manifests, values } = rendered;
  const { deployRelease } = await deploying;
  const outcome = await deployRelease(
    { cluster, reporter: deps.reporter, signal: options.signal },
    {
      release,
      namespace,
      commit: project.tree.commit,
      images: pinned.map((i) => ({ name: i.name, ref: i.ref!, digest: i.digest })),
      manifests,
      valuesChecksum: contentDigest(canonicalJson(values)),
      timeoutMs: options.timeoutMs,
      lockTimeoutMs: options.lockTimeoutMs,
      atomic: options.atomic,
      firstLook: await firstLook,
    },
  );
  return {
    ...outcome,
    release,
    namespace,
    commit: project.tree.commit,
    // As before: --require-built-images reports the pinned refs, a build the refs it built or found.
    images: (options.requireBuiltImages ? pinned : images).map((i) => built.find((b) => b.name === i.name) ?? { ...i, built: false as const, seconds: 0 as const }),
  };
}
