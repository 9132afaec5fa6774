// Image references as registries see them: `host[:port]/path:tag` (Docker Hub when no host).

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
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { registry: first, repository: rest.slice(slash + 1), tag, digest };
  }
  return { registry: 'docker.io', repository: slash < 0 ? `library/${rest}` : rest, tag, digest };
}

/** Registries spoken to over plain HTTP: loopback only, unless named in --insecure-registry. */
export function isPlainHttp(registry: string, insecure: readonly string[]): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return insecure.includes(registry) || host === 'localhost' || /^127\./.test(host) || host === '::1';
}

/** The API endpoint of a registry (Docker Hub's differs from its name). */
export function registryBaseUrl(registry: string, insecure: readonly string[]): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  return `${isPlainHttp(registry, insecure) ? 'http' : 'https'}://${host}`;
}
