// An image reference as a typed value, parsed once: `host[:port]/path[:tag][@digest]` (Docker Hub
// when there is no host). Registries, the engine and workflows take this, not a string to re-parse.

export interface ImageReference {
  /** `host[:port]` as written, e.g. `127.0.0.1:5000` or `docker.io`. */
  registry: string;
  /** Repository path inside the registry, e.g. `shop/api` (`library/x` on Docker Hub). */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseReference(ref: string): ImageReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const out = (registry: string, repository: string): ImageReference => ({ registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) });
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) return out(first, rest.slice(slash + 1));
  return out('docker.io', slash < 0 ? `library/${rest}` : rest);
}

/** `registry/repository` (what `docker push` names). */
export const repositoryName = (r: ImageReference) => `${r.registry}/${r.repository}`;

export function formatReference(r: ImageReference): string {
  return `${repositoryName(r)}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`;
}

/** The same reference with another tag (and no digest). */
export const withTag = (r: ImageReference, tag: string): ImageReference => ({ registry: r.registry, repository: r.repository, tag });
