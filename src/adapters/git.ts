// SourceRepo over the git CLI: rev-parse, one `ls-tree -r` and one `status` per run (behind one sh
// process, git-snapshot.ts), reads from the working tree when the file there is the commit's blob
// (else one long-lived `cat-file --batch` for every read), and (under --dev) one
// `hash-object --stdin-paths` for the changed files.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readFile, readlink, stat } from './fs-async.js';
import { join } from 'node:path';
import { EnvironmentError, InputError } from '../errors.js';
import type { ChangeState, SourceRepo, SourceTree, TreeEntry, WorkingChange } from '../ports/index.js';
import { mapLimited } from '../core/map-limited.js';
import { TreeFiles } from '../core/tree-files.js';
import { LS_TREE, preloadIndex, snapshotInOneProcess, STATUS, type StartedSnapshot } from './git-snapshot.js';

const MAX_BUFFER = 1 << 30;

function git(cwd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Collected as bytes and decoded once: a 100k-file ls-tree decoded chunk by chunk churns the heap.
    const child = execFile('git', args, { cwd, maxBuffer: MAX_BUFFER, encoding: 'buffer' }, (err, out, errOut) => {
      const stdout = out.toString('utf8');
      const stderr = errOut.toString('utf8');
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new EnvironmentError('git is not installed or not on PATH', { cause: err, hint: 'install git' }));
        } else reject(Object.assign(new Error(`git ${args[0]}: ${stderr.trim() || err.message}`), { stderr }));
        return;
      }
      resolve(stdout);
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

export class GitSourceRepo implements SourceRepo {
  /** `started`: the snapshot cli/prestart.ts began before the CLI loaded, for the open it matches. */
  constructor(private readonly started?: StartedSnapshot) {}

  async history(options: { dir: string; perRef: number }): Promise<{ shallow: boolean; commits: string[] }> {
    const shallow = (await git(options.dir, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    // Tags may point at tags: %(*objectname) is the commit an annotated tag points to.
    const refs = (await git(options.dir, ['for-each-ref', '--format=%(objectname) %(*objectname) %(objecttype)', 'refs/heads', 'refs/tags', 'refs/remotes']))
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [object, peeled, type] = line.split(' ');
        return type === 'tag' ? peeled! : object!;
      })
      .filter(Boolean);
    const commits = new Set<string>();
    for (const ref of new Set(refs)) {
      const out = await git(options.dir, ['rev-list', `--max-count=${options.perRef}`, ref]).catch(() => '');
      for (const c of out.split('\n').filter(Boolean)) commits.add(c);
    }
    return { shallow, commits: [...commits] };
  }

  async open(options: { dir: string; commit?: string; dev: boolean }): Promise<SourceTree> {
    const dir = await stat(options.dir).catch(() => null);
    if (!dir?.isDirectory()) {
      throw new InputError(`project directory ${options.dir} does not exist`, { hint: 'pass --dir with the directory holding slipway.yaml' });
    }
    const rev = options.commit ?? 'HEAD';
    // With an explicit --commit the working tree is another version: nothing to compare.
    const withStatus = options.commit === undefined;
    // One process in the usual case; the separate calls below only to say what is wrong.
    const early = this.started?.take(options.dir, options.commit);
    this.started?.discard(); // another directory or commit: it would only cost time
    const snapshot = await (early ?? snapshotInOneProcess(options.dir, rev, withStatus));
    let { top = '', prefix = '', commit = '' } = snapshot ?? {};
    if (!snapshot) {
      try {
        [top = '', prefix = ''] = (await git(options.dir, ['rev-parse', '--show-toplevel', '--show-prefix'])).split('\n');
      } catch (err) {
        if (err instanceof EnvironmentError) throw err;
        throw new InputError(`${options.dir} is not inside a Git work tree`, {
          cause: err,
          hint: 'slipway reads its inputs from a Git commit: run it in a repository (git init && git add -A && git commit)',
        });
      }
      try {
        commit = (await git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
      } catch (err) {
        throw new InputError(options.commit ? `commit "${options.commit}" not found` : 'the repository has no commit yet', {
          cause: err,
          hint: options.commit ? 'pass a commit that exists in this repository' : 'commit the project first',
        });
      }
    }
    const status = snapshot ? snapshot.status : withStatus ? git(top, ['-c', `core.preloadIndex=${preloadIndex()}`, ...STATUS]) : Promise.resolve('');
    status.catch(() => undefined); // surfaces where the changes are asked for
    const entries = parseLsTree(snapshot ? snapshot.tree : await git(top, [...LS_TREE, commit]));
    const changes = status.then(parseStatus);
    changes.catch(() => undefined);
    const projectPrefix = prefix.replace(/\/$/, '');
    if (!options.dev) {
      const reader = new BlobReader(top);
      return { commit, dev: false, projectPrefix, entries, changes: () => changes, read: (paths) => readBlobs(top, reader, entries, paths) };
    }
    const working = await applyWorkingTree(top, entries, await changes);
    return {
      commit,
      dev: true,
      projectPrefix,
      entries: working,
      changes: async () => [],
      read: async (paths) => {
        const out = new Map<string, Buffer>();
        for (const p of paths) {
          const entry = working.get(p);
          if (entry) out.set(p, await readWorkingFile(top, p, entry.mode));
        }
        return out;
      },
    };
  }
}

/**
 * `<mode> SP <type> SP <oid> TAB <path> NUL`, scanned without splitting the whole output, into
 * columns: no object per file (a 100k-file tree made 100k of them, and as much garbage).
 */
function parseLsTree(out: string): TreeFiles {
  const paths: string[] = [];
  const modes: string[] = [];
  const oids: string[] = [];
  let start = 0;
  while (start < out.length) {
    const end = out.indexOf('\0', start);
    const stop = end < 0 ? out.length : end;
    const sp1 = out.indexOf(' ', start);
    const sp2 = out.indexOf(' ', sp1 + 1);
    const tab = out.indexOf('\t', sp2 + 1);
    // Submodules (type commit) are not part of a build context.
    if (out.startsWith('blob', sp1 + 1)) {
      paths.push(out.slice(tab + 1, stop));
      modes.push(modeOf(out, start, sp1));
      oids.push(out.slice(sp2 + 1, tab));
    }
    start = stop + 1;
  }
  return TreeFiles.fromColumns(paths, modes, oids);
}

/** The usual modes as shared constants, not one six-character string per file. */
function modeOf(out: string, start: number, end: number): string {
  if (end - start === 6) for (const m of MODES) if (out.startsWith(m, start)) return m;
  return out.slice(start, end);
}
const MODES = ['100644', '100755', '120000'] as const;

function parseStatus(out: string): WorkingChange[] {
  const changes: WorkingChange[] = [];
  for (const record of out.split('\0')) {
    if (record.length < 4) continue;
    const xy = record.slice(0, 2);
    const path = record.slice(3);
    let state: ChangeState = 'modified';
    if (xy === '??') state = 'untracked';
    else if (xy.includes('D')) state = 'deleted';
    else if (xy[0] === 'A') state = 'added';
    changes.push({ path, state });
  }
  return changes;
}

/** --dev: the working tree as it is, hashed exactly as `git hash-object` does (filters included). */
async function applyWorkingTree(top: string, commitFiles: TreeFiles, changes: WorkingChange[]): Promise<TreeFiles> {
  if (changes.length === 0) return commitFiles;
  const entries = new Map(commitFiles);
  const present: { path: string; mode: string }[] = [];
  for (const change of changes) {
    if (change.state === 'deleted') {
      entries.delete(change.path);
      continue;
    }
    const st = await lstat(join(top, change.path)).catch(() => null);
    if (!st) {
      entries.delete(change.path);
      continue;
    }
    if (st.isDirectory()) continue; // a nested repository shows as a directory: not a file of ours
    const mode = st.isSymbolicLink() ? '120000' : st.mode & 0o111 ? '100755' : '100644';
    present.push({ path: change.path, mode });
  }
  if (present.length === 0) return TreeFiles.fromEntries(entries);
  const regular = present.filter((p) => p.mode !== '120000');
  const oids = regular.length
    ? (await git(top, ['hash-object', '--stdin-paths'], regular.map((p) => `${p.path}\n`).join(''))).trim().split('\n')
    : [];
  regular.forEach((p, i) => entries.set(p.path, { mode: p.mode, oid: oids[i]! }));
  for (const link of present.filter((p) => p.mode === '120000')) {
    // A symlink's blob is its target text, which `git hash-object --stdin` computes from stdin.
    const target = await readlink(join(top, link.path));
    entries.set(link.path, { mode: link.mode, oid: (await git(top, ['hash-object', '--stdin', '--no-filters'], target)).trim() });
  }
  return TreeFiles.fromEntries(entries);
}

async function readWorkingFile(top: string, path: string, mode: string): Promise<Buffer> {
  return mode === '120000' ? Buffer.from(await readlink(join(top, path))) : readFile(join(top, path));
}

/**
 * `git cat-file --batch`, one long-lived process per opened tree: every read (slipway.yaml, the
 * Dockerfiles, templates, build contexts) goes to the same process instead of spawning one each.
 * Its pipes are unref'd while no read is pending, so it never holds the CLI's exit; git sees EOF
 * and ends when we do.
 */
class BlobReader {
  private child?: ChildProcessWithoutNullStreams;
  private readonly waiting: { oid: string; resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  private chunks: Buffer[] = [];
  private length = 0;
  /** The current reply: its body's end in the joined chunks, once its header is in. */
  private bodyEnd = -1;
  private bodyStart = 0;

  constructor(private readonly top: string) {}

  read(oid: string): Promise<Buffer> {
    const child = this.child ?? this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ oid, resolve, reject });
      this.hold(true);
      child.stdin.write(`${oid}\n`);
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: this.top, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => this.receive(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const fail = (err: Error) => {
      this.child = undefined;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    child.on('error', fail);
    child.on('close', (code) => fail(new Error(`git cat-file exited (${code}): ${stderr.trim()}`)));
    this.child = child;
    return child;
  }

  private hold(busy: boolean): void {
    const c = this.child;
    if (!c) return;
    for (const handle of [c, c.stdin, c.stdout, c.stderr] as { ref(): void; unref(): void }[]) {
      if (busy) handle.ref();
      else handle.unref();
    }
  }

  /** `<oid> SP <type> SP <size> LF <contents> LF` per request, or `<oid> SP missing LF`. */
  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.waiting.length) {
      if (this.bodyEnd < 0) {
        const joined = this.join();
        const nl = joined.indexOf(10);
        if (nl < 0) return;
        const header = joined.subarray(0, nl).toString();
        const size = Number(header.split(' ')[2]);
        if (!Number.isInteger(size)) {
          this.drop(nl + 1);
          this.waiting.shift()!.reject(new Error(`git cat-file: unexpected "${header}"`));
          continue;
        }
        this.bodyStart = nl + 1;
        this.bodyEnd = nl + 1 + size;
      }
      if (this.length < this.bodyEnd + 1) return;
      const joined = this.join();
      const body = Buffer.from(joined.subarray(this.bodyStart, this.bodyEnd));
      this.drop(this.bodyEnd + 1);
      this.bodyEnd = -1;
      this.waiting.shift()!.resolve(body);
    }
    if (!this.waiting.length) this.hold(false);
  }

  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private drop(n: number): void {
    const rest = this.join().subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
  }
}

/**
 * Each blob from the working tree when the file there hashes to the blob's id (the usual case:
 * a clean checkout), else from `git cat-file`. Content-addressed, so a modified, filtered (CRLF,
 * LFS) or missing file is never mistaken for the commit's; a run that reads only clean files
 * spawns no cat-file at all.
 */
async function readBlobs(top: string, reader: BlobReader, entries: ReadonlyMap<string, TreeEntry>, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const wanted = paths.filter((p) => entries.has(p));
  // A bounded number of files open at once: a build context may have thousands.
  const blobs = await mapLimited(wanted, 32, async (path) => {
    const entry = entries.get(path)!;
    return (await readIfSame(top, path, entry)) ?? reader.read(entry.oid);
  });
  return new Map(wanted.map((p, i) => [p, blobs[i]!]));
}

async function readIfSame(top: string, path: string, entry: TreeEntry): Promise<Buffer | null> {
  if (entry.mode !== '100644' && entry.mode !== '100755') return null;
  const data = await readFile(join(top, path)).catch(() => null);
  if (!data) return null;
  const oid = createHash(entry.oid.length === 64 ? 'sha256' : 'sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
  return oid === entry.oid ? data : null;
}
