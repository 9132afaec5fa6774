// What builds images and moves them to the registry.
import type { ImageReference } from '../core/image-ref.js';

export interface BuildRequest {
  /** The reference to tag the result with: `<repo>:<digest>`. */
  ref: ImageReference;
  /** The build context as a tar (exactly the digest's files plus the Dockerfile). */
  context: Buffer;
  /** Path of the Dockerfile inside the context. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  platform: string;
  labels: Record<string, string>;
}

/** A local image produced by a build, not yet in the registry. */
export interface LocalImage {
  /** The reference it is published under: `<repo>:<digest>`. */
  ref: ImageReference;
  id: string;
  /**
   * The tag this run built it under (unique to the run), so that runs sharing one engine never
   * remove or retag what another is about to push.
   */
  localTag?: string;
}

/** What builds images and moves them to the registry (the Docker engine). */
export interface ImageEngine {
  build(request: BuildRequest, log: (line: string) => void, signal?: AbortSignal): Promise<LocalImage>;
  /** Pushes the image's tag; returns the manifest digest the engine reports, if any. */
  push(image: LocalImage, log: (line: string) => void, signal?: AbortSignal): Promise<string | null>;
  /** Drops this run's local tag (a build that lost a race, or is no longer wanted); never `ref`. */
  discard(image: LocalImage): Promise<void>;
}
