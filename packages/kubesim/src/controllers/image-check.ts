// Whether the registry holds an image, the way the fake kubelet "pulls": a manifest GET, with
// the container runtime's error messages when it does not.
import { createHash } from 'node:crypto';

const ACCEPT = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json';

/** `host[:port]/path[:tag][@digest]` as containerd resolves it (docker.io when there is no host). */
function parseReference(ref: string): { registry: string; repository: string; tag?: string; digest?: string } {
  const [name, digest] = ref.split('@') as [string, string | undefined];
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const path = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  const first = path.split('/')[0]!;
  if (path.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return { registry: first, repository: path.slice(first.length + 1), tag, digest };
  return { registry: 'docker.io', repository: path.includes('/') ? path : `library/${path}`, tag, digest };
}

/** Registries on loopback speak plain HTTP, as containerd's default for localhost. */
function registryBaseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, '');
  const plain = host === 'localhost' || /^127\./.test(host);
  return `${plain ? 'http' : 'https'}://${registry === 'docker.io' ? 'registry-1.docker.io' : registry}`;
}

export type PullResult = { error: string } | { imageId: string; size: number };

/** What a pull would find: the image's digest reference and size, or the kubelet's error. */
export async function checkImage(image: string): Promise<PullResult> {
  const ref = parseReference(image);
  const base = registryBaseUrl(ref.registry);
  const url = `${base}/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag ?? 'latest'}`;
  try {
    const res = await fetch(url, { headers: { Accept: ACCEPT }, signal: AbortSignal.timeout(5000) });
    if (res.status === 200) {
      const body = Buffer.from(await res.arrayBuffer());
      const digest = res.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
      let size = body.length;
      try {
        const manifest = JSON.parse(body.toString('utf8')) as { config?: { size?: number }; layers?: { size?: number }[] };
        size = (manifest.config?.size ?? 0) + (manifest.layers ?? []).reduce((n, l) => n + (l.size ?? 0), 0) || size;
      } catch {
        // not JSON: the manifest's own size
      }
      // As containerd reports it: the repository by its full name, pinned to the digest.
      return { imageId: `${ref.registry}/${ref.repository}@${digest}`, size };
    }
    if (res.status === 404) return { error: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found` };
    if (res.status === 401 || res.status === 403) return { error: `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": pull access denied, repository does not exist or may require authorization: authorization failed` };
    return { error: `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": unexpected status from HEAD request to ${url}: ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return { error: `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "${url}": ${cause}` };
  }
}
