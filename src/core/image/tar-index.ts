// Reads the entries of a tar (ustar, PAX, GNU long names) through a positional reader, without
// holding file data: each entry says where its bytes are. Paths are byte strings (latin1), so
// names that are not UTF-8 survive a rewrite unchanged.

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarIndexEntry {
  /** The path as stored (latin1 byte string), PAX `path` and GNU long names applied. */
  path: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** `SCHILY.xattr.*` PAX records, name without the prefix -> value bytes (latin1). */
  xattrs: Record<string, string>;
  /** Where the entry's data starts in the archive. */
  offset: number;
}

export class TarFormatError extends Error {}

const BLOCK = 512;
const TYPES: Record<string, EntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('latin1');
}

/** Octal, or GNU base-256 when the top bit of the first byte is set. */
function numeric(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + field[i]!;
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw new TarFormatError(`invalid number ${JSON.stringify(digits)} in a tar header`);
  return parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === numeric(block, 148, 8);
}

/** PAX records: "<len> key=value\n"; values are byte strings. */
export function parsePax(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.subarray(at, space).toString('latin1'));
    if (space < 0 || !Number.isInteger(length) || length <= 0 || at + length > data.length) throw new TarFormatError('malformed PAX record');
    const record = data.subarray(space + 1, at + length - 1);
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw new TarFormatError('malformed PAX record');
    records.set(record.subarray(0, eq).toString('utf8'), record.subarray(eq + 1).toString('latin1'));
    at += length;
  }
  return records;
}

const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK;

/** Every entry of the archive `read` gives access to, in stored order. */
export function indexTar(read: (offset: number, length: number) => Buffer, total: number): TarIndexEntry[] {
  const entries: TarIndexEntry[] = [];
  let at = 0;
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  while (at + BLOCK <= total) {
    const block = read(at, BLOCK);
    if (block.every((b) => b === 0)) break;
    if (!checksumOk(block)) throw new TarFormatError(`bad tar header checksum at byte ${at}`);
    const flag = String.fromCharCode(block[156]!);
    const meta = flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
    const size = !meta && pax.has('size') ? Number(pax.get('size')) : numeric(block, 124, 12);
    const data = at + BLOCK;
    if (data + size > total) throw new TarFormatError(`tar entry at byte ${at} runs past the end of the archive`);
    at = data + padded(size);
    if (flag === 'x') {
      pax = parsePax(read(data, size));
      continue;
    }
    if (flag === 'g') continue; // global headers carry nothing a layer needs (comments, defaults)
    if (flag === 'L' || flag === 'K') {
      const value = text(read(data, size), 0, size);
      if (flag === 'L') longName = value;
      else longLink = value;
      continue;
    }
    const type = TYPES[flag];
    if (!type) throw new TarFormatError(`unsupported tar entry type ${JSON.stringify(flag)} (sparse and vendor types are not image content)`);
    const ustar = text(block, 257, 6) === 'ustar';
    const prefix = ustar ? text(block, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100));
    const xattrs: Record<string, string> = Object.create(null);
    for (const [key, value] of pax) if (key.startsWith('SCHILY.xattr.')) xattrs[key.slice('SCHILY.xattr.'.length)] = value;
    const paxNumber = (key: string, fallback: number) => (pax.has(key) ? Number(pax.get(key)) : fallback);
    const storedSize = size;
    entries.push({
      path: pax.get('path') ?? name,
      type,
      mode: numeric(block, 100, 8),
      uid: paxNumber('uid', numeric(block, 108, 8)),
      gid: paxNumber('gid', numeric(block, 116, 8)),
      uname: pax.get('uname') ?? text(block, 265, 32),
      gname: pax.get('gname') ?? text(block, 297, 32),
      size: type === 'file' ? storedSize : 0,
      mtime: Math.floor(paxNumber('mtime', numeric(block, 136, 12))),
      linkname: pax.get('linkpath') ?? longLink ?? text(block, 157, 100),
      devmajor: ustar ? numeric(block, 329, 8) : 0,
      devminor: ustar ? numeric(block, 337, 8) : 0,
      xattrs,
      offset: data,
    });
    pax = new Map();
    longName = undefined;
    longLink = undefined;
  }
  return entries;
}
