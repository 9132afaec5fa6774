// The sending side of BuildKit's file sync (tonistiigi/fsutil, as the Docker CLI runs it for a
// local build context): the engine asks for a directory by name, we answer with one STAT packet
// per entry in filepath.Walk order (then an empty STAT), and the engine requests the content of
// the regular files it needs by the index of their STAT. Entries carry the same fixed metadata as
// slipway's context tar (mtime 0, uid/gid 0, modes from Git), so a build sees the same files.
//
// Packet { PacketType type = 1; Stat stat = 2; uint32 ID = 3; bytes data = 4; }
// PacketType: STAT 0, REQ 1, DATA 2, FIN 3, ERR 4
// Stat { string path = 1; uint32 mode = 2; uint32 uid = 3; uint32 gid = 4; int64 size = 5;
//        int64 modTime = 6; string linkname = 7; ... }   (mode: Go's os.FileMode bits)
import { DockerIgnore } from '../core/context/dockerignore.js';
import type { TarEntry } from '../core/tar.js';

export const PACKET = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;

const GO_MODE_DIR = 0x80000000;
const GO_MODE_SYMLINK = 0x08000000;
/** fsutil sends file content in 32 KiB packets. */
const DATA_CHUNK = 32 << 10;

export interface Packet {
  type: number;
  id: number;
  data?: Buffer;
}

/** What the engine asked for (gRPC metadata of the DiffCopy call). */
export interface SyncRequest {
  includePatterns: readonly string[];
  excludePatterns: readonly string[];
  followPaths: readonly string[];
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

const key = (field: number, wire: number) => varint((field << 3) | wire);
const uintField = (field: number, value: number) => (value ? [key(field, 0), varint(value)] : []);
const bytesField = (field: number, value: Buffer) => [key(field, 2), varint(value.length), value];

function encodeStat(entry: TarEntry, size: number): Buffer {
  // `>>> 0`: the directory bit is bit 31, which JavaScript's `|` would make a sign.
  const mode = (entry.type === 'dir' ? GO_MODE_DIR | entry.mode : entry.type === 'symlink' ? GO_MODE_SYMLINK | 0o777 : entry.mode) >>> 0;
  return Buffer.concat([
    ...bytesField(1, Buffer.from(entry.path)),
    ...uintField(2, mode),
    ...uintField(5, size),
    ...(entry.type === 'symlink' ? bytesField(7, Buffer.from(entry.target)) : []),
  ]);
}

export function encodePacket(type: number, fields: { stat?: Buffer; id?: number; data?: Buffer } = {}): Buffer {
  return Buffer.concat([
    ...uintField(1, type),
    ...(fields.stat ? bytesField(2, fields.stat) : []),
    ...uintField(3, fields.id ?? 0),
    ...(fields.data?.length ? bytesField(4, fields.data) : []),
  ]);
}

/** The fields of a Packet the sender reads (type, ID, data); a Stat is never sent to it. */
export function decodePacket(buf: Buffer): Packet {
  const packet: Packet = { type: 0, id: 0 };
  let pos = 0;
  const readVarint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated packet');
      const byte = buf[pos++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 0x80;
    }
  };
  while (pos < buf.length) {
    const k = readVarint();
    const wire = k & 7;
    const field = Math.floor(k / 8);
    if (wire === 0) {
      const value = readVarint();
      if (field === 1) packet.type = value;
      else if (field === 3) packet.id = value;
    } else if (wire === 2) {
      const length = readVarint();
      if (pos + length > buf.length) throw new Error('truncated packet');
      if (field === 4) packet.data = buf.subarray(pos, pos + length);
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return packet;
}

/** A path's key in filepath.Walk order: names compared per directory level, a directory first. */
const walkKey = (path: string) => path.replaceAll('/', '\0');
const compareKeys = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

export const walkOrder = (a: string, b: string): number => compareKeys(walkKey(a), walkKey(b));

/**
 * The entries the engine asked for, with every parent directory, in walk order: followpaths and
 * include patterns select (a match on a directory takes what it holds), exclude patterns drop,
 * as fsutil's walker does. slipway's contexts are the digest's file set, filtered by the same
 * .dockerignore the engine's exclude patterns come from: for them, those drop nothing.
 */
export function selectEntries(entries: readonly TarEntry[], request: SyncRequest): TarEntry[] {
  const include = request.includePatterns.length ? new DockerIgnore([...request.includePatterns]) : null;
  const exclude = request.excludePatterns.length ? new DockerIgnore([...request.excludePatterns]) : null;
  const follow = request.followPaths.map((p) => p.replace(/^\.?\/+/, '').replace(/\/+$/, ''));
  const followed = (path: string) => !follow.length || follow.some((f) => f === path || path.startsWith(`${f}/`));
  const kept = new Map<string, TarEntry>();
  for (const entry of entries) {
    if (entry.type === 'dir') continue;
    if (!followed(entry.path) || (include && !include.matches(entry.path)) || (exclude && !exclude.includes(entry.path))) continue;
    kept.set(entry.path, entry);
    // Its parents, nearest first, up to one already kept (whose own parents are too).
    for (let end = entry.path.lastIndexOf('/'); end > 0; end = entry.path.lastIndexOf('/', end - 1)) {
      const dir = entry.path.slice(0, end);
      if (kept.has(dir)) break;
      kept.set(dir, { type: 'dir', path: dir, mode: 0o755 });
    }
  }
  // Sorted by walk keys made once (not per comparison: a context may hold 100,000 files).
  const keyed = [...kept.values()].map((e) => ({ key: walkKey(e.path), e }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  return keyed.map((k) => k.e);
}

/** One DiffCopy call: sends through `send`, answers the engine's packets given to `receive`. */
export class FileSender {
  private finished = false;

  constructor(
    private readonly entries: readonly TarEntry[],
    private readonly send: (packet: Buffer) => void,
  ) {}

  /** Every entry's STAT, then the empty STAT that ends the listing. */
  start(): void {
    for (const entry of this.entries) {
      const size = entry.type === 'file' ? entry.content.length : 0;
      this.send(encodePacket(PACKET.STAT, { stat: encodeStat(entry, size) }));
    }
    this.send(encodePacket(PACKET.STAT));
  }

  /** Handles one packet from the engine; true once the transfer is over (FIN answered). */
  receive(packet: Packet): boolean {
    if (packet.type === PACKET.REQ) {
      const entry = this.entries[packet.id];
      if (!entry || entry.type !== 'file') throw new Error(`the engine asked for entry ${packet.id}, which is not a file`);
      for (let at = 0; at < entry.content.length; at += DATA_CHUNK) {
        this.send(encodePacket(PACKET.DATA, { id: packet.id, data: entry.content.subarray(at, at + DATA_CHUNK) }));
      }
      this.send(encodePacket(PACKET.DATA, { id: packet.id }));
    } else if (packet.type === PACKET.FIN) {
      this.send(encodePacket(PACKET.FIN));
      this.finished = true;
    } else if (packet.type === PACKET.ERR) {
      throw new Error(`the engine stopped the file transfer: ${packet.data?.toString('utf8') ?? ''}`);
    }
    return this.finished;
  }
}
