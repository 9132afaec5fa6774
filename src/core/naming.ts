// Names that slipway derives: image repositories and references, release and namespace.

/** An image repository: REGISTRY[:PORT][/PATH], lowercase (slipway.yaml `repo` and --repo). */
export const REPO_PATTERN = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
/** os/arch[/variant], e.g. linux/amd64 (slipway.yaml `platform` and --platform). */
export const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/** `<image repo>` from slipway.yaml, else `<--repo or repo>/<image>`; undefined when none is set. */
export function imageRepo(fields: { imageRepo?: string; repo?: string }, image: string, repoOverride?: string): string | undefined {
  if (fields.imageRepo) return fields.imageRepo;
  const base = repoOverride ?? fields.repo;
  return base ? `${base.replace(/\/+$/, '')}/${image}` : undefined;
}

/** SPEC section 1: flags, then slipway.yaml, then `<project>-<env>` (with --env) or `<project>`. */
export function releaseIdentity(
  defaults: { project: string; release?: string; namespace?: string },
  options: { env?: string; release?: string; namespace?: string },
): { release: string; namespace: string } {
  const fallback = options.env ? `${defaults.project}-${options.env}` : defaults.project;
  return {
    release: options.release ?? defaults.release ?? fallback,
    namespace: options.namespace ?? defaults.namespace ?? fallback,
  };
}
