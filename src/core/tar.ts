// A deterministic tar (ustar + PAX for long names): fixed mtime, uid/gid 0, no user names, modes
// from Git, entries in the given order. The same files give the same bytes on every machine.

export type TarEntry =
  | { type: 'file'; path: string; mode: number; content: Buffer }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'dir'; path: string; mode: number };

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

export interface UstarFields {
  name: string;
  mode: number;
  size: number;
  /** Typeflag: '0' file, '1' hardlink, '2' symlink, '5' dir, 'x' PAX header... */
  type: string;
  uid?: number;
  gid?: number;
  linkname?: string;
  prefix?: string;
  /** Written only when given (device entries, and writers that always fill them). */
  devmajor?: number;
  devminor?: number;
  /** How names are stored: UTF-8 text, or latin1 for byte strings read from another tar. */
  encoding?: BufferEncoding;
}

/** One ustar header block: mtime 0, no user or group names, the checksum filled in. */
export function ustarHeader(f: UstarFields): Buffer {
  const encoding = f.encoding ?? 'utf8';
  const h = Buffer.alloc(BLOCK);
  h.write(f.name, 0, 100, encoding);
  h.write(octal(f.mode, 8), 100, 8, 'ascii');
  h.write(octal(f.uid ?? 0, 8), 108, 8, 'ascii');
  h.write(octal(f.gid ?? 0, 8), 116, 8, 'ascii');
  h.write(octal(f.size, 12), 124, 12, 'ascii');
  h.write(octal(0, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write(f.type, 156, 1, 'ascii');
  if (f.linkname) h.write(f.linkname, 157, 100, encoding);
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  if (f.devmajor !== undefined) h.write(octal(f.devmajor, 8), 329, 8, 'ascii');
  if (f.devminor !== undefined) h.write(octal(f.devminor, 8), 337, 8, 'ascii');
  if (f.prefix) h.write(f.prefix, 345, 155, encoding);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** Zeros up to the next block boundary after `size` bytes of data, or null when aligned. */
export function blockPadding(size: number): Buffer | null {
  const rest = size % BLOCK;
  return rest === 0 ? null : Buffer.alloc(BLOCK - rest);
}

function padded(content: Buffer): Buffer[] {
  const pad = blockPadding(content.length);
  return pad ? [content, pad] : [content];
}

/** A PAX record `<len> key=value\n`; `encoding` as for the names of the entry it describes. */
export function paxRecord(key: string, value: string, encoding: BufferEncoding = 'utf8'): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, 'utf8'), Buffer.from(value, encoding), Buffer.from('\n')]);
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length++;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

/** The PAX extended header (header block, records, padding) that precedes an entry. */
export function paxHeader(records: readonly Buffer[], fields: Partial<UstarFields> = {}): Buffer[] {
  const body = Buffer.concat(records);
  return [ustarHeader({ name: 'PaxHeader', mode: 0o644, size: body.length, type: 'x', ...fields }), ...padded(body)];
}

/** Splits a path into ustar's prefix/name when it fits, else null (a PAX header is needed). */
function ustarName(path: string): { name: string; prefix?: string } | null {
  if (Buffer.byteLength(path) <= 100) return { name: path };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  return null;
}

export function createTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const path = entry.type === 'dir' ? `${entry.path.replace(/\/$/, '')}/` : entry.path;
    const linkname = entry.type === 'symlink' ? entry.target : undefined;
    const split = ustarName(path);
    const pax: Buffer[] = [];
    if (!split) pax.push(paxRecord('path', path));
    if (linkname && Buffer.byteLength(linkname) > 100) pax.push(paxRecord('linkpath', linkname));
    if (pax.length) parts.push(...paxHeader(pax));
    const name = split ?? { name: path.slice(-100) };
    const content = entry.type === 'file' ? entry.content : Buffer.alloc(0);
    const mode = entry.type === 'symlink' ? 0o777 : entry.mode;
    const type = entry.type === 'file' ? '0' : entry.type === 'symlink' ? '2' : '5';
    parts.push(ustarHeader({ ...name, mode, size: content.length, type, linkname: linkname && Buffer.byteLength(linkname) <= 100 ? linkname : undefined }));
    if (content.length) parts.push(...padded(content));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** Directory entries for every parent of the given file paths, sorted, then the files' order. */
export function withParentDirs(files: readonly TarEntry[]): TarEntry[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const dirEntries: TarEntry[] = [...dirs].sort().map((path) => ({ type: 'dir', path, mode: 0o755 }));
  return [...dirEntries, ...files];
}
