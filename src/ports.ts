// The small interfaces workflows depend on. Adapters implement them; tests use hand-written fakes.
import type { SlipwayEvent } from './core/events.js';

export interface TreeEntry {
  /** Git file mode: 100644, 100755 or 120000. */
  mode: string;
  /** Git object id (as `git hash-object` computes it for working-tree files under --dev). */
  oid: string;
}

export type ChangeState = 'modified' | 'deleted' | 'untracked' | 'added';

export interface WorkingChange {
  /** Repository-relative, `/`-separated. */
  path: string;
  state: ChangeState;
}

/** A snapshot of the inputs: a commit, or (with --dev) the working tree. */
export interface SourceTree {
  /** The full commit id the snapshot is based on. */
  commit: string;
  /** Whether entries come from the working tree (--dev) rather than the commit. */
  dev: boolean;
  /** The project directory relative to the repository root ('' at the root), `/`-separated. */
  projectPrefix: string;
  /** Every file, keyed by repository-relative path. */
  entries: ReadonlyMap<string, TreeEntry>;
  /** Working-tree files that differ from the commit (empty under --dev or with an explicit commit). */
  changes: readonly WorkingChange[];
  /** Reads files (repository-relative paths) from the snapshot. */
  read(paths: readonly string[]): Promise<Map<string, Buffer>>;
}

export interface SourceRepo {
  open(options: { dir: string; commit?: string; dev: boolean }): Promise<SourceTree>;
}

export interface Reporter {
  emit(event: SlipwayEvent): void;
}

/** Registry HTTP API v2, by full references (`host[:port]/path:tag`). */
export interface Registry {
  /** The manifest digest (`sha256:…`) the registry holds for a reference, or null when absent. */
  manifestDigest(ref: string, signal?: AbortSignal): Promise<string | null>;
  tags(repository: string, signal?: AbortSignal): Promise<string[]>;
  deleteManifest(repository: string, digest: string, signal?: AbortSignal): Promise<void>;
}

export interface BuildRequest {
  /** The reference to tag the result with: `<repo>:<digest>`. */
  ref: string;
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
  ref: string;
  id: string;
}

/** What builds images and moves them to the registry (the Docker engine). */
export interface ImageEngine {
  build(request: BuildRequest, log: (line: string) => void, signal?: AbortSignal): Promise<LocalImage>;
  /** Pushes the image's tag; returns the manifest digest the engine reports, if any. */
  push(image: LocalImage, log: (line: string) => void, signal?: AbortSignal): Promise<string | null>;
  /** Drops the local tag (a build that lost a race, or is no longer wanted). */
  discard(image: LocalImage): Promise<void>;
}
