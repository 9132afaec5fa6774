// The commit's snapshot in one process from Node: a small sh script runs rev-parse, then ls-tree
// and status side by side (status on fd 3), so Node forks once instead of three times (each fork
// of a loaded Node process blocks it for 5-30 ms) and the second step does not wait for Node's
// busy main thread to notice the first one finished. Windows, or any surprise, takes the
// step-by-step path in git.ts.
import { spawn } from 'node:child_process';

export interface Snapshot {
  top: string;
  prefix: string;
  commit: string;
  /** `ls-tree -r -z --full-tree` output. */
  tree: string;
  /** `status --porcelain=v1 -z` output ('' when not asked). */
  status: string;
}

const SCRIPT = `nl='
'
r=$(git rev-parse --show-toplevel --show-prefix "$1^{commit}") || exit 97
cd "\${r%%"$nl"*}" || exit 97
if [ "$2" = status ]; then git status --porcelain=v1 -z --untracked-files=all --no-renames >&3 & s=$!; fi
printf '%s\\n' "$r"
git ls-tree -r -z --full-tree "\${r##*"$nl"}" || exit 98
if [ -n "$s" ]; then wait "$s" || exit 99; fi`;

/** null: rev-parse refused (not a repository, no such commit) or sh is missing; git.ts says which. */
export function snapshotInOneProcess(dir: string, rev: string, withStatus: boolean): Promise<Snapshot | null> {
  if (process.platform === 'win32') return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', SCRIPT, 'sh', rev, withStatus ? 'status' : ''], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const status: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => status.push(c));
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      if (code === 97) return resolve(null);
      if (code !== 0) return reject(new Error(`git ${code === 99 ? 'status' : 'ls-tree'}: ${Buffer.concat(err).toString('utf8').trim() || `exit ${code}`}`));
      // Decoded once: a 100k-file listing decoded chunk by chunk churns the heap.
      const text = Buffer.concat(out).toString('utf8');
      const first = text.indexOf('\n');
      const second = text.indexOf('\n', first + 1);
      const third = text.indexOf('\n', second + 1);
      const commit = text.slice(second + 1, third);
      if (first < 0 || second < 0 || third < 0 || !/^[0-9a-f]{40,64}$/.test(commit)) return resolve(null);
      resolve({ top: text.slice(0, first), prefix: text.slice(first + 1, second), commit, tree: text.slice(third + 1), status: Buffer.concat(status).toString('utf8') });
    });
  });
}
