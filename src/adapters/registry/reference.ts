// How registries are reached: plain HTTP for loopback and --insecure-registry, Docker Hub's API host.

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
