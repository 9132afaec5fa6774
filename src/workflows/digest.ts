// `slipway digest`: content digests of the requested images (all by default), from the commit.
import { InputError } from '../errors.js';
import type { Reporter, SourceRepo } from '../ports.js';
import { digestImages, type ImageDigest, type ImageOptions } from './images.js';
import { loadProject, type ProjectOptions } from './project.js';

export interface DigestOptions extends ProjectOptions, ImageOptions {
  images: string[];
}

export interface DigestResult {
  commit: string;
  images: ImageDigest[];
}

export async function digestWorkflow(options: DigestOptions, deps: { source: SourceRepo; reporter: Reporter }): Promise<DigestResult> {
  const project = await loadProject(options, deps);
  const unknown = options.images.filter((n) => !(n in project.config.images));
  if (unknown.length) {
    throw new InputError(`unknown image${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      hint: `images in slipway.yaml: ${Object.keys(project.config.images).join(', ') || 'none'}`,
    });
  }
  const images = await digestImages(project, options, deps.reporter);
  const wanted = options.images.length ? new Set(options.images) : null;
  return { commit: project.tree.commit, images: images.filter((i) => !wanted || wanted.has(i.name)) };
}
