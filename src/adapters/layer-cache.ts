// Compressed base layers remembered between runs (ports/layers.ts): one small JSON file per diff
// id, under the user's cache directory and the gzip scheme that made the bytes. Docker's own push
// keeps the same kind of record, so a base is compressed once per machine, not once per repository.
// Entries are hints the registry confirms (a mount); an unreadable or unwritable cache is no cache.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CompressedLayer, LayerStore } from '../ports/index.js';

const SHA256 = /^sha256:([0-9a-f]{64})$/;

/** SLIPWAY_CACHE_DIR, else $XDG_CACHE_HOME/slipway, else ~/.cache/slipway; SLIPWAY_CACHE_DIR= (empty) turns it off. */
export function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SLIPWAY_CACHE_DIR !== undefined) return env.SLIPWAY_CACHE_DIR || undefined;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'slipway');
  const home = env.HOME || homedir();
  return home ? join(home, '.cache', 'slipway') : undefined;
}

export class FileLayerStore implements LayerStore {
  private readonly seen = new Map<string, CompressedLayer>();

  /** `dir`: the cache directory; `scheme`: what made the compressed bytes (another scheme, another set). */
  constructor(private readonly dir: string, private readonly scheme: string) {}

  get(diffId: string): CompressedLayer | undefined {
    const known = this.seen.get(diffId);
    if (known) return known;
    const file = this.file(diffId);
    if (!file) return undefined;
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as Partial<{ digest: unknown; size: unknown; registry: unknown; repository: unknown }>;
      if (typeof entry.digest !== 'string' || !SHA256.test(entry.digest) || !Number.isSafeInteger(entry.size) || (entry.size as number) <= 0) return undefined;
      if (typeof entry.registry !== 'string' || typeof entry.repository !== 'string') return undefined;
      const layer = { digest: entry.digest, size: entry.size as number, repository: { registry: entry.registry, repository: entry.repository } };
      this.seen.set(diffId, layer);
      return layer;
    } catch {
      return undefined; // none yet, or not ours to read
    }
  }

  set(diffId: string, layer: CompressedLayer): void {
    this.seen.set(diffId, layer);
    const file = this.file(diffId);
    if (!file) return;
    try {
      mkdirSync(join(this.dir, 'layers', this.scheme), { recursive: true });
      const record = { digest: layer.digest, size: layer.size, registry: layer.repository.registry, repository: layer.repository.repository };
      writeFileSync(`${file}.${process.pid}`, `${JSON.stringify(record)}\n`);
      renameSync(`${file}.${process.pid}`, file);
    } catch {
      // a read-only home: this run still reuses what it compressed itself
    }
  }

  private file(diffId: string): string | undefined {
    const hex = SHA256.exec(diffId)?.[1];
    return hex ? join(this.dir, 'layers', this.scheme, `${hex}.json`) : undefined;
  }
}
