// Where inputs come from: a Git commit, or the working tree under --dev.
import type { ContextFile } from '../core/context/select.js';

export interface TreeEntry {
  /** Git file mode: 100644, 100755 or 120000. */
  mode: string;
  /** Git object id (as `git hash-object` computes it for working-tree files under --dev). */
  oid: string;
}

/** The snapshot's files; a directory's files come out of it without a scan of the whole tree. */
export interface TreeListing extends ReadonlyMap<string, TreeEntry> {
  /** The files below `dir` ('' for every file), paths relative to it, sorted by UTF-16 code units. */
  under(dir: string): ContextFile[];
  /** Whether any file lies below `dir`. */
  hasUnder(dir: string): boolean;
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
  entries: TreeListing;
  /**
   * Working-tree files that differ from the commit (none under --dev or with an explicit commit).
   * Asynchronous: `git status` may still be walking the work tree while the snapshot is used.
   */
  changes(): Promise<readonly WorkingChange[]>;
  /** Reads files (repository-relative paths) from the snapshot. */
  read(paths: readonly string[]): Promise<Map<string, Buffer>>;
}

export interface SourceRepo {
  open(options: { dir: string; commit?: string; dev: boolean }): Promise<SourceTree>;
  /** The last `perRef` commits of every branch and tag (remote branches included), deduplicated. */
  history(options: { dir: string; perRef: number }): Promise<{ shallow: boolean; commits: string[] }>;
}
