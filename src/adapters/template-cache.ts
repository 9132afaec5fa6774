// Compiled chart templates on disk (ports/templates.ts): one file per template source, named by
// the source's SHA-256, under the build of slipway that compiled it (another build may rewrite
// templates differently, or bundle another Handlebars). Entries are Handlebars' own output, read
// back as code, so they are written for the user alone (0700 directory, 0600 files) and an entry
// or directory someone else owns or may write is not read (a shared SLIPWAY_CACHE_DIR).
// Unreadable or unwritable: no cache.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { TemplateCache } from '../ports/index.js';

/** A build of slipway: the hash bin/slipway reads from the bundle it runs. */
export const BUILD = /^[0-9a-f]{16}$/;
/** Another build's templates are deleted once they have not been written to for this long. */
const STALE_MS = 24 * 60 * 60 * 1000;

export class FileTemplateCache implements TemplateCache {
  private readonly dir: string;
  private dirTrusted: boolean | undefined;

  /** `root`: `<cache dir>/templates`; `build`: matches BUILD. */
  constructor(
    private readonly root: string,
    private readonly build: string,
  ) {
    if (!BUILD.test(build)) throw new Error(`not a build id: ${build}`);
    this.dir = join(root, build);
  }

  get(source: string): string | undefined {
    try {
      this.dirTrusted ??= onlyOurs(statSync(this.dir));
      if (!this.dirTrusted) return undefined;
      const fd = openSync(this.file(source), 'r');
      try {
        return onlyOurs(fstatSync(fd)) ? readFileSync(fd, 'utf8') : undefined;
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined; // not compiled yet, or not ours to read
    }
  }

  set(source: string, compiled: string): void {
    const file = this.file(source);
    try {
      // The first template of a new build: the builds before it are usually gone for good.
      if (mkdirSync(this.dir, { recursive: true, mode: 0o700 }) !== undefined) this.pruneOtherBuilds();
      writeFileSync(`${file}.${process.pid}`, compiled, { mode: 0o600 });
      renameSync(`${file}.${process.pid}`, file);
    } catch {
      // a read-only home: templates are compiled on every run, as without a cache
    }
  }

  private file(source: string): string {
    return join(this.dir, `${createHash('sha256').update(source).digest('hex')}.js`);
  }

  /** Another install may still use its build: only builds not written to for a day go. */
  private pruneOtherBuilds(): void {
    for (const name of readdirSync(this.root)) {
      if (name === this.build || !BUILD.test(name)) continue;
      const dir = join(this.root, name);
      try {
        if (Date.now() - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
      } catch {
        // removed meanwhile by another run
      }
    }
  }
}

/** Owned by this user and writable by no one else (POSIX; Windows has neither notion here). */
function onlyOurs(stats: Stats): boolean {
  if (process.platform === 'win32') return true;
  return stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
}
