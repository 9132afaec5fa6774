// `slipway build`: digests, then build and push only what the registry lacks, along the image
// dependency graph, independent images in parallel.
import { InputError } from '../errors.js';
import type { ImageEngine, LayerStore, Registry, Reporter, SourceRepo } from '../ports/index.js';
import { buildImages, type BuiltImage } from './steps/build-images.js';
import { digestImages, requireRepositories, type ImageDigest, type ImageOptions } from './steps/images.js';
import { loadProject, type ProjectOptions } from './steps/project.js';

export interface BuildOptions extends ProjectOptions, ImageOptions {
  images: string[];
  parallel: number;
  signal?: AbortSignal;
}

export type { BuiltImage } from './steps/build-images.js';

export interface BuildDeps {
  source: SourceRepo;
  reporter: Reporter;
  registry: Registry;
  engine: ImageEngine;
  layers?: LayerStore;
  now?: () => number;
}

export async function buildWorkflow(options: BuildOptions, deps: BuildDeps): Promise<{ commit: string; images: BuiltImage[] }> {
  const project = await loadProject(options, deps, { deferCleanCheck: true }); // digestImages checks every input
  const all = await digestImages(project, { ...options, selected: options.images }, deps.reporter);
  const unknown = options.images.filter((n) => !all.some((i) => i.name === n));
  if (unknown.length) throw new InputError(`unknown image${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { hint: `images: ${all.map((i) => i.name).join(', ')}` });
  const wanted = selectWithDependencies(all, options.images);
  requireRepositories(wanted);
  return { commit: project.tree.commit, images: await buildImages(project, wanted, options, deps) };
}

function selectWithDependencies(all: ImageDigest[], names: string[]): ImageDigest[] {
  if (names.length === 0) return all;
  const byName = new Map(all.map((i) => [i.name, i]));
  const wanted = new Set<string>();
  const add = (n: string) => {
    if (wanted.has(n)) return;
    wanted.add(n);
    byName.get(n)!.deps.forEach(add);
  };
  names.forEach(add);
  return all.filter((i) => wanted.has(i.name));
}
