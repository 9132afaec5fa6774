// The commit's snapshot in one process from Node: a small sh script runs rev-parse, then ls-tree
// and status side by side (status on fd 3), so Node forks once instead of three times (each fork
// of a loaded Node process blocks it for 5-30 ms) and the second step does not wait for Node's
// busy main thread to notice the first one finished. The listing arrives (stdout closes) while
// status may still run: the digest is computed meanwhile. Windows, or any surprise, takes the
// step-by-step path in git.ts.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface Snapshot {
  top: string;
  prefix: string;
  commit: string;
  /** `ls-tree -r -z --full-tree` output. */
  tree: string;
  /** `status --porcelain=v1 -z` output ('' when not asked), once status is done. */
  status: Promise<string>;
}

/** The two listings, here and on the step-by-step path of git.ts (ls-tree takes the commit last). */
export const STATUS = ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'];

/**
 * git status stats the work tree from several threads (core.preloadIndex). On two cores or fewer
 * those threads take the cores Node and ls-tree need meanwhile: the digest of 30k files took
 * 5-10% longer with them. With more cores they are free to help.
 */
export const preloadIndex = (): string => String(availableParallelism() > 2);
export const LS_TREE = ['ls-tree', '-r', '-z', '--full-tree'];

// END after the listing proves ls-tree succeeded (no record starts with a letter); `exec 1>&-`
// then ends stdout while status goes on.
const SCRIPT = `nl='
'
r=$(git rev-parse --show-toplevel --show-prefix "$1^{commit}") || exit 97
cd "\${r%%"$nl"*}" || exit 97
s=
if [ "$2" = status ]; then git -c core.preloadIndex="$3" ${STATUS.join(' ')} >&3 & s=$!; fi
exec 3>&-
printf '%s\\n' "$r"
git ${LS_TREE.join(' ')} "\${r##*"$nl"}" || exit 98
printf 'END\\n'
exec 1>&-
if [ -n "$s" ]; then wait "$s" || exit 99; fi`;

/**
 * A snapshot started before any command asked for it (cli/prestart.ts, while the CLI's script
 * loads). The open with the same directory and commit takes it; anything else discards it: its
 * processes are stopped and its pipes closed, so nothing of it keeps the process alive.
 */
export class StartedSnapshot {
  #taken = false;
  readonly #abort = new AbortController();
  readonly #snapshot: Promise<Snapshot | null>;

  constructor(
    readonly dir: string,
    readonly commit: string | undefined,
  ) {
    // An explicit commit is another version than the working tree: no status (as in git.ts).
    this.#snapshot = snapshotInOneProcess(dir, commit ?? 'HEAD', commit === undefined, this.#abort.signal);
    this.#snapshot.catch(() => undefined); // surfaces when taken
  }

  /** The snapshot, once, if it is of this directory and commit. */
  take(dir: string, commit: string | undefined): Promise<Snapshot | null> | undefined {
    if (this.#taken || dir !== this.dir || commit !== this.commit) return undefined;
    this.#taken = true;
    return this.#snapshot;
  }

  discard(): void {
    if (this.#taken) return;
    this.#taken = true;
    this.#abort.abort();
  }
}

/** null: rev-parse refused (not a repository, no such commit), sh is missing, or `signal` stopped it. */
export function snapshotInOneProcess(dir: string, rev: string, withStatus: boolean, signal?: AbortSignal): Promise<Snapshot | null> {
  if (process.platform === 'win32') return Promise.resolve(null);
  const child = spawn('sh', ['-c', SCRIPT, 'sh', rev, withStatus ? 'status' : '', preloadIndex()], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const status: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => status.push(c));
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', resolve);
  });
  const failure = (code: number | null) => new Error(`git ${code === 99 ? 'status' : 'ls-tree'}: ${Buffer.concat(err).toString('utf8').trim() || `exit ${code}`}`);
  const statusText = exited.then((code) => {
    if (code !== 0) throw failure(code);
    return Buffer.concat(status).toString('utf8');
  });
  statusText.catch(() => undefined); // surfaces where the changes are asked for
  return new Promise((resolve, reject) => {
    child.on('error', () => resolve(null)); // no sh: the stream may never end
    signal?.addEventListener(
      'abort',
      () => {
        // sh's git children hold the pipes too: closing our ends (they get SIGPIPE) and unref-ing
        // the child leave nothing that waits for them.
        child.kill();
        for (const stream of child.stdio) stream?.destroy();
        child.unref();
        resolve(null);
      },
      { once: true },
    );
    child.stdout!.on('end', () => {
      // Decoded once: a 100k-file listing decoded chunk by chunk churns the heap.
      const text = Buffer.concat(out).toString('utf8');
      const first = text.indexOf('\n');
      const second = text.indexOf('\n', first + 1);
      const third = text.indexOf('\n', second + 1);
      const commit = text.slice(second + 1, third);
      if (first >= 0 && second >= 0 && third >= 0 && /^[0-9a-f]{40,64}$/.test(commit) && text.endsWith('END\n') && text.length >= third + 5) {
        resolve({ top: text.slice(0, first), prefix: text.slice(first + 1, second), commit, tree: text.slice(third + 1, -4), status: withStatus ? statusText : Promise.resolve('') });
        return;
      }
      // No listing: why, once the script has exited.
      void exited.then((code) => (code === 97 || code === null ? resolve(null) : reject(failure(code))));
    });
  });
}
