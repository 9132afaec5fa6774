// The canonical form of a layer a build produced: the same files, modes, owners and contents,
// with everything the build's clock or host put in the headers taken out. Headers are rebuilt
// from a whitelist (name, type, mode, uid, gid, size, link, device numbers, xattrs): mtimes are
// clamped to the Unix epoch, user and group names are empty, entries are sorted by path with
// parents first, and each hardlink group is held by its first path in that order.
import { blockPadding, paxHeader, paxRecord, ustarHeader } from '../tar.js';
import type { EntryType, TarIndexEntry } from './tar-index.js';

/** A piece of the output: bytes to write, or a range of the source archive to copy. */
export type LayerPart = Buffer | { offset: number; size: number };

/** Extended attributes that say where a layer was built, not what it holds. */
const HOST_XATTRS = new Set(['security.selinux']);

const FLAG: Record<EntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

/** Canonical names and links are byte strings (latin1); device numbers are always written. */
const LAYER_FIELDS = { encoding: 'latin1', devmajor: 0, devminor: 0 } as const;

/** `./a/b/`, `/a/b` and `a/b` are one path: `a/b`. */
export function canonicalPath(path: string): string {
  let p = path;
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  return p === '.' ? '' : p;
}

/** Byte order of the path's segments: a directory sorts right before its own contents. */
export function comparePaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    if (as[i] !== bs[i]) return as[i]! < bs[i]! ? -1 : 1;
  }
  return as.length - bs.length;
}

interface HeaderFields {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkname: string;
  devmajor: number;
  devminor: number;
}

const fitsUstar = (value: string, width: number) => Buffer.byteLength(value, 'latin1') < width;
const MAX_ID = 0o7777777;
const MAX_SIZE = 0o77777777777;

/** The header blocks of one entry: a PAX header first when a field does not fit ustar. */
export function entryHeader(entry: HeaderFields & { type: EntryType; xattrs: Record<string, string> }): Buffer[] {
  const records: Buffer[] = [];
  const fields: HeaderFields = { ...entry };
  if (!fitsUstar(entry.name, 101)) {
    records.push(paxRecord('path', entry.name, 'latin1'));
    fields.name = entry.name.slice(0, 99);
  }
  if (!fitsUstar(entry.linkname, 101)) {
    records.push(paxRecord('linkpath', entry.linkname, 'latin1'));
    fields.linkname = entry.linkname.slice(0, 99);
  }
  for (const key of ['uid', 'gid'] as const) {
    if (entry[key] > MAX_ID) {
      records.push(paxRecord(key, String(entry[key])));
      fields[key] = 0;
    }
  }
  if (entry.size > MAX_SIZE) {
    records.push(paxRecord('size', String(entry.size)));
    fields.size = 0;
  }
  for (const name of Object.keys(entry.xattrs).sort()) {
    if (!HOST_XATTRS.has(name)) records.push(paxRecord(`SCHILY.xattr.${name}`, entry.xattrs[name]!, 'latin1'));
  }
  const header = ustarHeader({ ...fields, type: FLAG[entry.type], encoding: 'latin1' });
  return records.length === 0 ? [header] : [...paxHeader(records, LAYER_FIELDS), header];
}

/**
 * The normalised layer: sorted entries with canonical headers; file data is copied from the
 * source by range. Later duplicates of a path replace earlier ones, as extraction would.
 */
export function normalizeLayer(entries: readonly TarIndexEntry[]): LayerPart[] {
  const byPath = new Map<string, TarIndexEntry>();
  for (const e of entries) byPath.set(canonicalPath(e.path), e);
  const paths = [...byPath.keys()].sort(comparePaths);

  // Hardlink groups are re-anchored on their first path in the new order.
  const holderOf = new Map<string, string>();
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const e = byPath.get(path)!;
    if (e.type !== 'hardlink') continue;
    const target = canonicalPath(e.linkname);
    if (!byPath.has(target) || byPath.get(target)!.type === 'hardlink') continue; // outside this layer: kept as written
    groups.set(target, [...(groups.get(target) ?? [target]), path]);
  }
  for (const [target, members] of groups) {
    const holder = members.sort(comparePaths)[0]!;
    for (const m of members) holderOf.set(m, holder);
    holderOf.set(target, holder);
  }

  const parts: LayerPart[] = [];
  for (const path of paths) {
    const e = byPath.get(path)!;
    const holder = holderOf.get(path);
    // The data, mode and owner of a hardlink group are those of the file the group links to.
    const source = holder !== undefined ? byPath.get(groupTarget(byPath, path))! : e;
    const isHolder = holder === undefined || holder === path;
    const type: EntryType = holder !== undefined ? (isHolder ? 'file' : 'hardlink') : e.type;
    const name = path === '' ? './' : type === 'dir' ? `${path}/` : path;
    const linkname = type === 'hardlink' ? (holder ?? canonicalPath(e.linkname)) : type === 'symlink' ? e.linkname : '';
    const size = type === 'file' ? source.size : 0;
    const device = type === 'char' || type === 'block';
    parts.push(
      ...entryHeader({
        name,
        type,
        mode: source.mode & 0o7777,
        uid: source.uid,
        gid: source.gid,
        size,
        linkname,
        devmajor: device ? e.devmajor : 0,
        devminor: device ? e.devminor : 0,
        xattrs: source.xattrs,
      }),
    );
    if (size > 0) {
      parts.push({ offset: source.offset, size });
      const pad = blockPadding(size);
      if (pad) parts.push(pad);
    }
  }
  parts.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return parts;
}

function groupTarget(byPath: ReadonlyMap<string, TarIndexEntry>, path: string): string {
  const e = byPath.get(path)!;
  return e.type === 'hardlink' ? canonicalPath(e.linkname) : path;
}
