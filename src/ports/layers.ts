// Base layers slipway has compressed, by diff id: within a run, and (from a cache) across runs.
import type { ImageReference } from '../core/image-ref.js';

/** A base layer as the pinned gzip compressed it, and the repository its blob was pushed to. */
export interface CompressedLayer {
  digest: string;
  size: number;
  repository: ImageReference;
}

/**
 * What a base layer became once compressed. Only a hint: the blob is mounted from that repository
 * (the registry confirms it has those bytes), and compressed again when the mount fails.
 */
export interface LayerStore {
  get(diffId: string): CompressedLayer | undefined;
  set(diffId: string, layer: CompressedLayer): void;
}
