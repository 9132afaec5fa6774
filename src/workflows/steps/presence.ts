// Whether the registry holds each wanted image, asked for all at once: digests are known before
// anything is built, so a dependant's check need not wait for its dependency's. The first lookup
// of each reference is answered from that batch; later ones (after a build) ask the registry.
import { formatReference, type ImageReference } from '../../core/image-ref.js';
import type { Registry } from '../../ports/index.js';

export function prefetchPresence(registry: Registry, refs: ImageReference[], signal?: AbortSignal): Registry {
  const pending = new Map<string, Promise<string | null>>();
  for (const ref of refs) {
    const answer = registry.manifestDigest(ref, signal);
    // A failure surfaces when the image's own step asks, not as an unhandled rejection here.
    answer.catch(() => undefined);
    pending.set(formatReference(ref), answer);
  }
  const manifestDigest = (ref: ImageReference, lookupSignal?: AbortSignal): Promise<string | null> => {
    const key = formatReference(ref);
    const first = pending.get(key);
    if (first) {
      pending.delete(key);
      return first;
    }
    return registry.manifestDigest(ref, lookupSignal);
  };
  // Everything else is the registry's own, bound to it.
  return new Proxy(registry, {
    get(target, prop) {
      if (prop === 'manifestDigest') return manifestDigest;
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The registry's manifest digest of each image (null: not there), all asked at once. */
export function registryDigests(images: { reference?: ImageReference }[], registry: Registry, signal?: AbortSignal): Promise<(string | null)[]> {
  return Promise.all(images.map((i) => registry.manifestDigest(i.reference!, signal)));
}
