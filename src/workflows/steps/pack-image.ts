// A built image made reproducible (SPEC 5a): the layers the build produced are normalised and
// compressed with a pinned gzip, base layers are kept as they are (the registry's own blobs when
// the base came from one), the config loses its clocks and host names. The result is a manifest
// whose digest depends only on the digest inputs, pushed through the registry API.
import { createHash } from 'node:crypto';
import { contentDigest } from '../../core/content-digest.js';
import { mapLimited } from '../../core/map-limited.js';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { formatReference, type ImageReference } from '../../core/image-ref.js';
import { DeterministicGzip } from '../../core/image/gzip.js';
import { dockerLayerType, imageManifest, MEDIA, normalizeConfig, type Descriptor } from '../../core/image/image-config.js';
import { normalizeLayer, type LayerPart } from '../../core/image/layer-normalize.js';
import { indexTar, TarFormatError } from '../../core/image/tar-index.js';
import { InterruptedError, WorkFailedError } from '../../errors.js';
import { MissingBlobsError, type BlobSource, type LayerStore, type Registry } from '../../ports/index.js';
import { copyRange, type ArchivedLayer, type ImageArchive } from './image-archive.js';

/** The layers a build starts from, and where their compressed blobs are when a registry has them. */
export interface BaseLayers {
  /** What the base is, for messages. */
  name: string;
  diffIds: string[];
  /** The base's registry descriptors, reused byte for byte; absent: compressed here. */
  descriptors?: Descriptor[];
  /** The repository holding those blobs. */
  source?: ImageReference;
}

export interface PackedLayer extends Descriptor {
  diffId: string;
  /** True for a layer this build produced (normalised), false for a base layer. */
  built: boolean;
}

export interface PackedImage {
  manifest: Buffer;
  manifestDigest: string;
  config: Buffer;
  layers: PackedLayer[];
  blobs: BlobSource[];
}

/** Base layers compressed already (by diff id), and the repository they were packed for. */
export type CompressedLayers = LayerStore;

export async function packImage(
  archive: ImageArchive,
  base: BaseLayers,
  registry: Registry,
  target: ImageReference,
  signal?: AbortSignal,
  compressed: CompressedLayers = new Map(),
): Promise<PackedImage> {
  const prefix = base.diffIds.length;
  const exported = archive.layers.map((l) => l.diffId);
  if (prefix > exported.length || base.diffIds.some((d, i) => exported[i] !== d)) {
    throw new WorkFailedError(`the built image does not start with the layers of its base ${base.name}`, {
      hint: 'the base changed during the build (a moving tag?): pin FROM with @sha256 and build again',
    });
  }
  const layers: PackedLayer[] = [];
  const blobs: BlobSource[] = [];
  for (const [i, layer] of archive.layers.entries()) {
    const reused = i < prefix ? base.descriptors?.[i] : undefined;
    if (reused) {
      layers.push({ ...reused, mediaType: dockerLayerType(reused.mediaType), diffId: layer.diffId, built: false });
      blobs.push(remoteBlob(reused, base.source!, target, registry));
      continue;
    }
    const out = archive.scratch(`layer-${i}.tar.gz`);
    const known = i < prefix ? compressed.get(layer.diffId) : undefined;
    if (known) {
      // A base layer compressed before (another image of this run, or an earlier run): the same
      // bytes (pinned gzip), so the same digest; mounted from that image's repository, compressed
      // again only if the mount fails.
      layers.push({ mediaType: MEDIA.layerGzip, size: known.size, digest: known.digest, diffId: layer.diffId, built: false });
      blobs.push({
        digest: known.digest,
        size: known.size,
        ...(known.repository.registry === target.registry ? { mountFrom: known.repository.repository } : {}),
        open: async () => (await compressLayer(archive, layer, false, out, i, signal), createReadStream(out)),
      });
      continue;
    }
    const written = await compressLayer(archive, layer, i >= prefix, out, i, signal);
    if (i < prefix) compressed.set(layer.diffId, { digest: written.digest, size: written.size, repository: target });
    layers.push({ mediaType: MEDIA.layerGzip, size: written.size, digest: written.digest, diffId: written.diffId, built: i >= prefix });
    blobs.push({ digest: written.digest, size: written.size, open: async () => createReadStream(out) });
  }
  const config = normalizeConfig(archive.config, layers.map((l) => l.diffId));
  const configDescriptor = { mediaType: MEDIA.config, size: config.length, digest: contentDigest(config) };
  blobs.unshift({ digest: configDescriptor.digest, size: config.length, open: async () => config });
  const manifest = imageManifest(configDescriptor, layers);
  return { manifest, manifestDigest: contentDigest(manifest), config, layers, blobs };
}

/** Blobs uploaded at once, as `docker push` does (3) and a little more: each is a few round trips. */
const PUSH_PARALLEL = 4;

/** Pushes every blob (what the repository lacks), several at once, then the manifest under the reference's tag. */
export async function pushPacked(registry: Registry, ref: ImageReference, packed: PackedImage, signal?: AbortSignal): Promise<string> {
  await mapLimited(packed.blobs, PUSH_PARALLEL, (blob) => registry.pushBlob(ref, blob, signal));
  let digest: string;
  for (let attempt = 0; ; attempt++) {
    try {
      digest = await registry.putManifest(ref, MEDIA.manifest, packed.manifest, signal);
      break;
    } catch (err) {
      // A registry under concurrent pushes of the same blobs can lose track of one it confirmed:
      // upload the blobs it names again, then the manifest.
      if (!(err instanceof MissingBlobsError) || attempt >= 2) throw err;
      for (const missing of err.digests) {
        const blob = packed.blobs.find((b) => b.digest === missing);
        if (!blob) throw err;
        await registry.pushBlob(ref, blob, signal, { force: true });
      }
    }
  }
  if (digest !== packed.manifestDigest) throw new WorkFailedError(`the registry stored ${formatReference(ref)} as ${digest}, not ${packed.manifestDigest}`);
  return digest;
}

/** Bytes compressed between two looks at the event loop (a SIGINT is handled within one slice). */
const SLICE = 8 << 20;

async function compressLayer(archive: ImageArchive, layer: ArchivedLayer, normalise: boolean, out: string, index: number, signal?: AbortSignal): Promise<{ diffId: string; digest: string; size: number }> {
  const fd = openSync(out, 'w');
  const tarHash = createHash('sha256');
  const gzHash = createHash('sha256');
  let size = 0;
  const gzip = new DeterministicGzip((chunk) => {
    gzHash.update(chunk);
    size += chunk.length;
    writeSync(fd, chunk);
  });
  let sinceYield = 0;
  const sink = (chunk: Buffer) => {
    tarHash.update(chunk);
    gzip.push(chunk);
    sinceYield += chunk.length;
  };
  const breathe = async () => {
    if (sinceYield < SLICE) return;
    sinceYield = 0;
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new InterruptedError('interrupted while packing the image');
  };
  try {
    const read = (offset: number, length: number) => archive.read(layer.offset + offset, length);
    const parts: LayerPart[] = normalise ? normalizeLayer(indexTar(read, layer.size)) : [{ offset: 0, size: layer.size }];
    for (const part of parts) {
      if (Buffer.isBuffer(part)) sink(part);
      else {
        for (let at = 0; at < part.size; at += SLICE) {
          copyRange(read, part.offset + at, Math.min(SLICE, part.size - at), sink);
          await breathe();
        }
      }
      await breathe();
    }
    gzip.end();
  } catch (err) {
    if (err instanceof TarFormatError) throw new WorkFailedError(`layer ${index + 1} of the built image cannot be normalised: ${err.message}`, { cause: err });
    throw err;
  } finally {
    closeSync(fd);
  }
  return { diffId: `sha256:${tarHash.digest('hex')}`, digest: `sha256:${gzHash.digest('hex')}`, size };
}

/** A base blob: mounted from its repository on the same registry, else copied through here. */
function remoteBlob(descriptor: Descriptor, source: ImageReference, target: ImageReference, registry: Registry): BlobSource {
  const sameRegistry = source.registry === target.registry;
  return {
    digest: descriptor.digest,
    size: descriptor.size,
    ...(sameRegistry ? { mountFrom: source.repository } : {}),
    open: () => registry.blob(source, descriptor.digest),
  };
}
