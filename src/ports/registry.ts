// The image registry, as workflows need it.
import type { ImageReference } from '../core/image-ref.js';
import { EnvironmentError, type ErrorOptions } from '../errors.js';

/** Registry HTTP API v2, by typed references. */
export interface Registry {
  /** The manifest digest (`sha256:…`) the registry holds for a reference, or null when absent. */
  manifestDigest(ref: ImageReference, signal?: AbortSignal): Promise<string | null>;
  /** Tags of the reference's repository (its tag and digest are ignored). */
  tags(repository: ImageReference, signal?: AbortSignal): Promise<string[]>;
  deleteManifest(repository: ImageReference, digest: string, signal?: AbortSignal): Promise<void>;
  /** When the image was built (its config's `created`), or null when the registry does not say. */
  created(ref: ImageReference, signal?: AbortSignal): Promise<Date | null>;
  /** The manifest's bytes as stored (digest checked), or null when absent. */
  manifest(ref: ImageReference, signal?: AbortSignal): Promise<StoredManifest | null>;
  /** A blob's bytes, checked against its digest. */
  blob(repository: ImageReference, digest: string, signal?: AbortSignal): Promise<Buffer>;
  hasBlob(repository: ImageReference, digest: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Uploads a blob unless the repository has it (or can mount it from `mountFrom`, a repository
   * of the same registry). `force` uploads even when the registry says it has it.
   */
  pushBlob(repository: ImageReference, blob: BlobSource, signal?: AbortSignal, options?: { force?: boolean }): Promise<void>;
  /** Stores the manifest under `ref`'s tag; returns the digest the registry confirmed. */
  putManifest(ref: ImageReference, mediaType: string, bytes: Buffer, signal?: AbortSignal): Promise<string>;
}

/** A manifest the registry refused because it does not have some of its blobs (yet). */
export class MissingBlobsError extends EnvironmentError {
  constructor(
    message: string,
    readonly digests: string[],
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}

export interface StoredManifest {
  mediaType: string;
  bytes: Buffer;
  digest: string;
}

export interface BlobSource {
  digest: string;
  size: number;
  /** The bytes, opened once per attempt. */
  open(): Promise<NodeJS.ReadableStream | Buffer>;
  /** A repository (same registry) that may already hold it: mounted instead of uploaded. */
  mountFrom?: string;
}
