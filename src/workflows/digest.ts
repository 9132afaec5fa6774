// `slipway digest`: content digests of the requested images (all by default), from the commit.
import { InputError } from '../errors.js';
import type { Registry, Reporter, SourceRepo } from '../ports/index.js';
import { digestImages, type ImageDigest, type ImageOptions } from './steps/images.js';
import { registryDigests } from './steps/presence.js';
import { loadProject, type ProjectOptions } from './steps/project.js';

export interface DigestOptions extends ProjectOptions, ImageOptions {
  images: string[];
  /** --check: ask the registry whether it holds each image. */
  check?: boolean;
  signal?: AbortSignal;
}

export interface DigestResult {
  commit: string;
  images: (ImageDigest & { present?: boolean })[];
}

export async function digestWorkflow(
  options: DigestOptions,
  deps: { source: SourceRepo; reporter: Reporter; registry?: Registry },
): Promise<DigestResult> {
  const project = await loadProject(options, deps, { deferCleanCheck: true }); // digestImages checks every input
  const unknown = options.images.filter((n) => !(n in project.config.images));
  if (unknown.length) {
    await project.configClean; // an uncommitted slipway.yaml explains an unknown name first
    throw new InputError(`unknown image${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      hint: `images in slipway.yaml: ${Object.keys(project.config.images).join(', ') || 'none'}`,
    });
  }
  const images = await digestImages(project, { ...options, selected: options.images }, deps.reporter);
  const wanted = options.images.length ? new Set(options.images) : null;
  const selected = images.filter((i) => !wanted || wanted.has(i.name));
  if (!options.check) return { commit: project.tree.commit, images: selected };
  const { registry } = deps;
  if (!registry) throw new Error('digest --check needs a registry');
  const noRepo = selected.filter((i) => !i.ref);
  if (noRepo.length) throw new InputError(`--check: no image repository for ${noRepo.map((i) => i.name).join(', ')}`, { hint: 'set "repo" in slipway.yaml or pass --repo' });
  const present = (await registryDigests(selected, registry, options.signal)).map((d) => d !== null);
  return { commit: project.tree.commit, images: selected.map((i, n) => ({ ...i, present: present[n] })) };
}
