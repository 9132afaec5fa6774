// Packages that stay outside the bundle (dockerode, client-node) and Node built-ins wanted only
// on some paths, loaded on first use. The bundle runs as a cached script (bin/slipway), where
// Node 20 cannot run import() itself: the build puts the launcher's import() in its place, and
// require for Node's own modules (an import() would start the ES module loader, ~3 ms).
export function loadExternal<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
