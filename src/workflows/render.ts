// `slipway render`: digests -> image refs -> chart templates -> validated manifests, offline.
import type { Manifest } from '../core/manifests.js';
import { releaseIdentity } from '../core/naming.js';
import type { Registry, Reporter, SourceRepo, TemplateCache } from '../ports/index.js';
import { manifestsToYaml } from '../render/manifests.js';
import { digestImages, requireRepositories, type ImageDigest, type ImageOptions } from './steps/images.js';
import { chartDir, pinToManifests, renderChart, type ValuesOptions } from './steps/manifests.js';
import { loadProject, type ProjectOptions } from './steps/project.js';

export interface RenderOptions extends ProjectOptions, ImageOptions, ValuesOptions {
  release?: string;
  namespace?: string;
  /** --resolve: pin every ref to its registry manifest (`<repo>:<digest>@sha256:...`); exit 3 when one is missing. */
  resolve?: boolean;
  /** Called with each template's rendered text before it is parsed (`render --debug`). */
  debug?: (template: string, text: string) => void;
  signal?: AbortSignal;
}

export interface RenderResult {
  commit: string;
  release: string;
  namespace: string;
  images: ImageDigest[];
  manifests: Manifest[];
  /** The exact bytes `slipway render` prints. */
  yaml: string;
}

export async function renderWorkflow(
  options: RenderOptions,
  deps: { source: SourceRepo; reporter: Reporter; registry?: Registry; templates?: TemplateCache },
): Promise<RenderResult> {
  const project = await loadProject(options, deps, { deferCleanCheck: true }); // digestImages checks every input
  const chart = chartDir(project);
  const images = await digestImages(project, options, deps.reporter, { files: [], dirs: [chart] });
  const { release, namespace } = releaseIdentity({ project: project.config.project, ...project.config.deploy }, options);
  requireRepositories(images);
  let pinned = images;
  if (options.resolve) {
    if (!deps.registry) throw new Error('render --resolve needs a registry');
    pinned = await pinToManifests(images, deps.registry, options.signal);
  }
  const { manifests } = await renderChart(project, chart, pinned, { ...options, release, namespace, templateCache: deps.templates });
  return { commit: project.tree.commit, release, namespace, images: pinned, manifests, yaml: manifestsToYaml(manifests) };
}

