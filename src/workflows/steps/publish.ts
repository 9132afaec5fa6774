// Publishing an image = build + pack (SPEC 5a) + push. Skip-if-present wraps that: nothing is
// built when the registry holds the digest, and the registry is asked again right before the
// push, so a tag that appeared meanwhile (another runner) wins and the fresh build is discarded.
// Both runners would have pushed the same bytes; the second just has nothing left to do.
import { formatReference, type ImageReference } from '../../core/image-ref.js';
import { EnvironmentError } from '../../errors.js';
import type { BuildRequest, ImageEngine, LocalImage, Registry } from '../../ports/index.js';
import type { BaseLayers, CompressedLayers, PackedImage } from './pack-image.js';

// Packing (pako, tar, layer normalisation) loads only when something is built: a no-op build
// never needs it.
const packing = () => Promise.all([import('./image-archive.js'), import('./pack-image.js')]);

export interface PublishResult {
  /** Whether this run built and pushed the image. */
  built: boolean;
  /** Whether the registry already held it (before the build, or by the time of the push). */
  present: boolean;
  /** The registry's manifest digest for the tag (sha256:...). */
  manifest: string | null;
}

/** What to publish: the reference, the build request (made only when a build is needed) and its base. */
export interface PublishJob {
  ref: ImageReference;
  request: () => Promise<BuildRequest>;
  base: (signal?: AbortSignal) => Promise<BaseLayers>;
}

export interface Publisher {
  publish(job: PublishJob, log: (line: string) => void, signal?: AbortSignal): Promise<PublishResult>;
}

/** Turns a local build into the reproducible image (and frees what that took). */
export type Packer = (image: LocalImage, job: PublishJob, log: (line: string) => void, signal?: AbortSignal) => Promise<{ packed: PackedImage; close(): void }>;

export function reproduciblePacker(engine: ImageEngine, registry: Registry, compressed: CompressedLayers = new Map()): Packer {
  return async (image, job, log, signal) => {
    const [{ openImageArchive }, { packImage }] = await packing();
    const base = await job.base(signal);
    const archive = await openImageArchive(await engine.save(image, signal));
    log(`exported ${archive.layers.length} layers; normalising and compressing`);
    try {
      return { packed: await packImage(archive, base, registry, job.ref, signal, compressed), close: () => archive.close() };
    } catch (err) {
      archive.close();
      throw err;
    }
  };
}

export function skipIfPresent(engine: ImageEngine, registry: Registry, pack: Packer = reproduciblePacker(engine, registry)): Publisher {
  return {
    async publish(job, log, signal) {
      const before = await registry.manifestDigest(job.ref, signal);
      if (before) return { built: false, present: true, manifest: before };
      const image = await engine.build(await job.request(), log, signal);
      let packing: Awaited<ReturnType<Packer>> | undefined;
      try {
        packing = await pack(image, job, log, signal);
        const { packed } = packing;
        log(`image ${packed.manifestDigest} (${packed.layers.filter((l) => l.built).length} layers built, ${packed.layers.filter((l) => !l.built).length} from the base)`);
        const raced = await registry.manifestDigest(job.ref, signal);
        if (raced) {
          log(`${formatReference(job.ref)} appeared in the registry during the build: keeping it, discarding this build`);
          if (raced !== packed.manifestDigest) log(`the registry's ${raced} differs from this build's ${packed.manifestDigest}: run slipway verify`);
          return { built: false, present: true, manifest: raced };
        }
        const bytes = packed.blobs.reduce((n, b) => n + b.size, 0);
        log(`pushing ${packed.blobs.length} blobs (${(bytes / 1e6).toFixed(1)} MB, what the repository lacks) and the manifest`);
        const { pushPacked } = await import('./pack-image.js');
        await pushPacked(registry, job.ref, packed, signal);
      } finally {
        packing?.close();
        await engine.discard(image);
      }
      // Confirm with the registry itself: it, not our own upload, is the source of truth.
      const kept = await registry.manifestDigest(job.ref, signal);
      if (!kept) {
        throw new EnvironmentError(`pushed ${formatReference(job.ref)}, but the registry does not have it`, {
          hint: 'the registry lost or refused the push silently (a proxy or cache in between?); run again',
        });
      }
      if (kept !== packing.packed.manifestDigest) log(`the registry kept ${kept} (another run pushed the same digest at the same time); this run built ${packing.packed.manifestDigest}`);
      return { built: true, present: false, manifest: kept };
    },
  };
}
