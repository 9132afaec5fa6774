// The image registry, as workflows need it.
import type { ImageReference } from '../core/image-ref.js';

/** Registry HTTP API v2, by typed references. */
export interface Registry {
  /** The manifest digest (`sha256:…`) the registry holds for a reference, or null when absent. */
  manifestDigest(ref: ImageReference, signal?: AbortSignal): Promise<string | null>;
  /** Tags of the reference's repository (its tag and digest are ignored). */
  tags(repository: ImageReference, signal?: AbortSignal): Promise<string[]>;
  deleteManifest(repository: ImageReference, digest: string, signal?: AbortSignal): Promise<void>;
  /** When the image was built (its config's `created`), or null when the registry does not say. */
  created(ref: ImageReference, signal?: AbortSignal): Promise<Date | null>;
}
