// The identity of a deployed release, for the commands that need the cluster but not the build:
// history, rollback, dismiss. The project is read only for its defaults (slipway.yaml).
import { releaseIdentity } from '../core/naming.js';
import type { SourceRepo } from '../ports/index.js';
import { loadProject, type ProjectOptions } from './steps/project.js';

export interface IdentityOptions extends ProjectOptions {
  env?: string;
  release?: string;
  namespace?: string;
}

/** Flags win; otherwise slipway.yaml (read from the commit), as in every deploy command. */
export async function resolveIdentity(options: IdentityOptions, deps: { source: SourceRepo }): Promise<{ release: string; namespace: string }> {
  if (options.release && options.namespace) return { release: options.release, namespace: options.namespace };
  const project = await loadProject(options, deps);
  return releaseIdentity({ project: project.config.project, ...project.config.deploy }, options);
}
