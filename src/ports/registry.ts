// The image registry, as workflows need it.

/** Registry HTTP API v2, by full references (`host[:port]/path:tag`). */
export interface Registry {
  /** The manifest digest (`sha256:…`) the registry holds for a reference, or null when absent. */
  manifestDigest(ref: string, signal?: AbortSignal): Promise<string | null>;
  tags(repository: string, signal?: AbortSignal): Promise<string[]>;
  deleteManifest(repository: string, digest: string, signal?: AbortSignal): Promise<void>;
}
