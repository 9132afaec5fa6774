// An image as the engine exported it (`docker save`), kept in a temporary file and read by
// position: the config, and each layer as a range of the archive. Both the 20.10 layout
// (`<id>/layer.tar`) and the newer OCI layout (`blobs/sha256/<hex>`) name layers in
// manifest.json; duplicated layers are symlinks to the first copy.
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { indexTar, type TarIndexEntry } from '../../core/image/tar-index.js';
import { WorkFailedError } from '../../errors.js';

export type Reader = (offset: number, length: number) => Buffer;

export interface ArchivedLayer {
  /** sha256 of the layer tar as exported, checked against the config's diff_id. */
  diffId: string;
  offset: number;
  size: number;
}

export interface ImageArchive {
  config: Record<string, unknown>;
  layers: ArchivedLayer[];
  read: Reader;
  /** A file next to the archive, for outputs that are removed with it. */
  scratch(name: string): string;
  close(): void;
}

const CHUNK = 1 << 20;

/** Feeds `size` bytes from `offset` to `sink` in bounded chunks. */
export function copyRange(read: Reader, offset: number, size: number, sink: (chunk: Buffer) => void): void {
  for (let at = 0; at < size; at += CHUNK) sink(read(offset + at, Math.min(CHUNK, size - at)));
}

export async function openImageArchive(stream: NodeJS.ReadableStream): Promise<ImageArchive> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-image-'));
  const file = join(dir, 'image.tar');
  let fd = -1;
  try {
    await pipeline(stream, createWriteStream(file));
    fd = openSync(file, 'r');
    const descriptor = fd;
    const read: Reader = (offset, length) => {
      const buffer = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const n = readSync(descriptor, buffer, done, length - done, offset + done);
        if (n === 0) throw new WorkFailedError('the exported image archive ended early');
        done += n;
      }
      return buffer;
    };
    const { size } = fstatSync(descriptor);
    const entries = new Map<string, TarIndexEntry>();
    for (const e of indexTar(read, size)) entries.set(posix.normalize(e.path.replace(/^\.\//, '')), e);
    const resolve = (path: string, depth = 0): TarIndexEntry => {
      const e = entries.get(posix.normalize(path));
      if (!e || depth > 8) throw new WorkFailedError(`the exported image has no ${path}`);
      return e.type === 'symlink' ? resolve(posix.join(posix.dirname(path), e.linkname), depth + 1) : e;
    };
    const json = (path: string) => {
      const e = resolve(path);
      return JSON.parse(read(e.offset, e.size).toString('utf8')) as unknown;
    };
    const manifest = json('manifest.json') as { Config: string; Layers: string[] }[];
    if (manifest.length !== 1) throw new WorkFailedError(`the exported image holds ${manifest.length} images, expected one`);
    const config = json(manifest[0]!.Config) as Record<string, unknown>;
    const diffIds = ((config.rootfs as { diff_ids?: string[] } | undefined)?.diff_ids ?? []) as string[];
    if (diffIds.length !== manifest[0]!.Layers.length) throw new WorkFailedError('the exported image config and its layers disagree');
    const layers = manifest[0]!.Layers.map((path, i) => {
      const e = resolve(path);
      const hash = createHash('sha256');
      copyRange(read, e.offset, e.size, (c) => hash.update(c));
      const diffId = `sha256:${hash.digest('hex')}`;
      if (diffId !== diffIds[i]) throw new WorkFailedError(`layer ${i + 1} of the exported image is not the layer its config names (${diffId} vs ${diffIds[i]})`);
      return { diffId, offset: e.offset, size: e.size };
    });
    return {
      config,
      layers,
      read,
      scratch: (name) => join(dir, name),
      close: () => {
        closeSync(descriptor);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
