// What builds images and moves them to the registry.
import type { ImageReference } from '../core/image-ref.js';
import type { TarEntry } from '../core/tar.js';

export interface BuildRequest {
  /** The reference to tag the result with: `<repo>:<digest>`. */
  ref: ImageReference;
  /** The build context as a tar (exactly the digest's files plus the Dockerfile). */
  context: Buffer;
  /**
   * The same entries (parent directories first), for engines that take them over a session, and
   * a key naming exactly that content (the engine keeps a synced copy under it for the next build).
   */
  session?: { entries: readonly TarEntry[]; key: string };
  /** Path of the Dockerfile inside the context. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  platform: string;
  labels: Record<string, string>;
  /** Build every step again, ignoring the engine's cache (`slipway verify`). */
  noCache?: boolean;
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

/** An image the engine holds, as its layers. */
export interface EngineImage {
  /** `rootfs.diff_ids`: the uncompressed layers' digests, bottom first. */
  diffIds: string[];
}

/** What builds images (the Docker engine). Publishing goes through the registry API. */
export interface ImageEngine {
  build(request: BuildRequest, log: (line: string) => void, signal?: AbortSignal): Promise<LocalImage>;
  /** The image as `docker save` writes it (a tar: manifest.json, the config, the layers). */
  save(image: LocalImage, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** An image the engine holds under a reference, or null. */
  inspect(ref: string): Promise<EngineImage | null>;
  /** Drops this run's local tag (a build that lost a race, or is no longer wanted); never `ref`. */
  discard(image: LocalImage): Promise<void>;
}
