// Publishing an image = build + push. Skip-if-present wraps that: nothing is built when the
// registry holds the digest, and the registry is asked again right before the push, so a tag
// that appeared meanwhile (another runner) wins and the fresh build is discarded.
import { formatReference, type ImageReference } from '../../core/image-ref.js';
import { EnvironmentError } from '../../errors.js';
import type { BuildRequest, ImageEngine, Registry } from '../../ports/index.js';

export interface PublishResult {
  /** Whether this run built and pushed the image. */
  built: boolean;
  /** Whether the registry already held it (before the build, or by the time of the push). */
  present: boolean;
  /** The registry's manifest digest for the tag (sha256:...). */
  manifest: string | null;
}

/** What to publish: the reference, and the build request, made only when a build is needed. */
export interface PublishJob {
  ref: ImageReference;
  request: () => Promise<BuildRequest>;
}

export interface Publisher {
  publish(job: PublishJob, log: (line: string) => void, signal?: AbortSignal): Promise<PublishResult>;
}

export function skipIfPresent(engine: ImageEngine, registry: Registry): Publisher {
  return {
    async publish(job, log, signal) {
      const before = await registry.manifestDigest(job.ref, signal);
      if (before) return { built: false, present: true, manifest: before };
      const image = await engine.build(await job.request(), log, signal);
      const raced = await registry.manifestDigest(job.ref, signal);
      if (raced) {
        log(`${formatReference(job.ref)} appeared in the registry during the build: keeping it, discarding this build`);
        await engine.discard(image);
        return { built: false, present: true, manifest: raced };
      }
      const pushed = await engine.push(image, log, signal);
      // Confirm with the registry itself: it, not the engine's report, is the source of truth.
      const kept = await registry.manifestDigest(job.ref, signal);
      if (!kept) {
        throw new EnvironmentError(`pushed ${formatReference(job.ref)}, but the registry does not have it`, {
          hint: 'the registry lost or refused the push silently (a proxy or cache in between?); run again',
        });
      }
      if (pushed && pushed !== kept) log(`the registry kept ${kept} (another run pushed the same digest at the same time); this run pushed ${pushed}`);
      return { built: true, present: false, manifest: kept };
    },
  };
}
