// gzip whose bytes depend only on the input: pako (pure JavaScript, pinned to one exact version
// in package.json) at a fixed level. Node's zlib is not used: its output has changed between
// Node releases and depends on the CPU (Chromium's zlib picks its hash at run time). pako writes
// MTIME 0, OS 3 and the level's XFL. Changing the version or level changes every layer digest.
import { Deflate } from 'pako';
import { GZIP_LEVEL } from './gzip-scheme.js';

export { GZIP_LEVEL };

/** Streaming gzip: `push` input as it comes, `end` once; output goes to `onData` in order. */
export class DeterministicGzip {
  private readonly deflate: Deflate;

  constructor(onData: (chunk: Buffer) => void) {
    this.deflate = new Deflate({ level: GZIP_LEVEL, gzip: true });
    this.deflate.onData = (chunk: Uint8Array) => onData(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  push(chunk: Uint8Array): void {
    if (chunk.length > 0 && !this.deflate.push(chunk, false)) throw new Error(`gzip failed: ${this.deflate.msg}`);
  }

  end(): void {
    if (!this.deflate.push(new Uint8Array(0), true)) throw new Error(`gzip failed: ${this.deflate.msg}`);
  }
}

export function gzipBytes(input: Uint8Array): Buffer {
  const out: Buffer[] = [];
  const gz = new DeterministicGzip((c) => out.push(Buffer.from(c)));
  gz.push(input);
  gz.end();
  return Buffer.concat(out);
}
