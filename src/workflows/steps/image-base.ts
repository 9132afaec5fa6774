// Which of a build's layers are its base's. A slipway image is read from the registry (it was
// pushed before its dependants are built) and its blobs are reused: slipway compressed them with
// the same pinned gzip. An external base is only counted; its layers are compressed here.
import { parseReference, type ImageReference } from '../../core/image-ref.js';
import type { ImageBase } from '../../core/dockerfile/analyze.js';
import type { Descriptor } from '../../core/image/image-config.js';
import { WorkFailedError } from '../../errors.js';
import type { ImageEngine, Registry } from '../../ports/index.js';
import type { BaseLayers } from './pack-image.js';

interface Manifest {
  mediaType?: string;
  manifests?: { digest: string; platform?: { os?: string; architecture?: string; variant?: string } }[];
  config?: Descriptor;
  layers?: Descriptor[];
}

/** The base's layers, read from the registry's manifest for `ref` (an index resolved by platform). */
async function fromRegistry(registry: Registry, ref: ImageReference, platform: string, signal?: AbortSignal): Promise<BaseLayers | null> {
  const stored = await registry.manifest(ref, signal);
  if (!stored) return null;
  let manifest = JSON.parse(stored.bytes.toString('utf8')) as Manifest;
  if (manifest.manifests) {
    const [os, architecture, variant] = platform.split('/');
    const entry = manifest.manifests.find((m) => m.platform?.os === os && m.platform?.architecture === architecture && (variant === undefined || m.platform?.variant === variant));
    if (!entry) return null;
    const inner = await registry.manifest({ ...ref, digest: entry.digest }, signal);
    if (!inner) return null;
    manifest = JSON.parse(inner.bytes.toString('utf8')) as Manifest;
  }
  if (!manifest.config || !manifest.layers) return null;
  const config = JSON.parse((await registry.blob(ref, manifest.config.digest, signal)).toString('utf8')) as { rootfs?: { diff_ids?: string[] } };
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) return null;
  return { name: `${ref.registry}/${ref.repository}`, diffIds, descriptors: manifest.layers, source: ref };
}

export async function baseLayers(
  base: ImageBase,
  refs: Readonly<Record<string, string>>,
  platform: string,
  deps: { engine: ImageEngine; registry: Registry },
  signal?: AbortSignal,
): Promise<BaseLayers> {
  if (base.kind === 'scratch') return { name: 'scratch', diffIds: [] };
  if (base.kind === 'slipway') {
    const ref = parseReference(refs[base.image]!);
    const found = await fromRegistry(deps.registry, ref, platform, signal);
    if (!found) throw new WorkFailedError(`base image ${base.image} (${refs[base.image]}) is not in the registry`, { hint: 'build it first: slipway build builds dependencies before their dependants' });
    return found;
  }
  // An external base is compressed here from the engine's export like every layer (contents
  // untouched): its registry blobs are not reused, since their gzip bytes depend on who pushed
  // them (docker push, a mirror that recompresses), and the manifest must not.
  const local = await deps.engine.inspect(base.ref);
  if (local) return { name: base.ref, diffIds: local.diffIds };
  // The build pulled it without keeping it in the engine's image store: the registry says which layers it has.
  const found = await fromRegistry(deps.registry, parseReference(base.ref), platform, signal);
  if (!found) throw new WorkFailedError(`cannot read the layers of base image ${base.ref}`, { hint: 'pull it (docker pull) or pin FROM with @sha256' });
  return { name: base.ref, diffIds: found.diffIds };
}
