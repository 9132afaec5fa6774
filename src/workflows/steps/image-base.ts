// Where a build's base layers come from. A slipway image is read from the registry (it was
// pushed before its dependants are built). An external base is read from the engine; when the
// engine pulled it from a registry, that registry's compressed blobs are reused as they are.
import { parseReference, type ImageReference } from '../../core/image-ref.js';
import type { ImageBase } from '../../core/dockerfile/analyze.js';
import type { Descriptor } from '../../core/image/image-config.js';
import { EnvironmentError, WorkFailedError } from '../../errors.js';
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
  deps: { engine: ImageEngine; registry: Registry; log: (line: string) => void },
  signal?: AbortSignal,
): Promise<BaseLayers> {
  if (base.kind === 'scratch') return { name: 'scratch', diffIds: [] };
  if (base.kind === 'slipway') {
    const ref = parseReference(refs[base.image]!);
    const found = await fromRegistry(deps.registry, ref, platform, signal);
    if (!found) throw new WorkFailedError(`base image ${base.image} (${refs[base.image]}) is not in the registry`, { hint: 'build it first: slipway build builds dependencies before their dependants' });
    return found;
  }
  const local = await deps.engine.inspect(base.ref);
  if (!local) {
    // The build pulled it without keeping it in the engine's image store: the registry has it.
    const found = await fromRegistry(deps.registry, parseReference(base.ref), platform, signal);
    if (!found) throw new WorkFailedError(`cannot read the layers of base image ${base.ref}`, { hint: 'pull it (docker pull) or pin FROM with @sha256' });
    return found;
  }
  for (const repoDigest of local.repoDigests) {
    try {
      const found = await fromRegistry(deps.registry, parseReference(repoDigest), platform, signal);
      if (found && found.diffIds.length === local.diffIds.length && found.diffIds.every((d, i) => d === local.diffIds[i])) return { ...found, name: base.ref };
    } catch (err) {
      if (!(err instanceof EnvironmentError)) throw err;
      deps.log(`base ${base.ref}: ${err.message}; compressing its layers here instead`);
    }
  }
  return { name: base.ref, diffIds: local.diffIds };
}
