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

function header(fields: { name: string; mode: number; size: number; type: string; linkname?: string; prefix?: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(fields.name, 0, 100, 'utf8');
  h.write(octal(fields.mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(fields.size, 12), 124, 12, 'ascii');
  h.write(octal(0, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write(fields.type, 156, 1, 'ascii');
  if (fields.linkname) h.write(fields.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  if (fields.prefix) h.write(fields.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

function padded(content: Buffer): Buffer[] {
  const rest = content.length % BLOCK;
  return rest === 0 ? [content] : [content, Buffer.alloc(BLOCK - rest)];
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

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (Buffer.byteLength(`${length}${body}`) !== length) length++;
  return `${length}${body}`;
}

export function createTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const path = entry.type === 'dir' ? `${entry.path.replace(/\/$/, '')}/` : entry.path;
    const linkname = entry.type === 'symlink' ? entry.target : undefined;
    const split = ustarName(path);
    const pax: string[] = [];
    if (!split) pax.push(paxRecord('path', path));
    if (linkname && Buffer.byteLength(linkname) > 100) pax.push(paxRecord('linkpath', linkname));
    if (pax.length) {
      const body = Buffer.from(pax.join(''), 'utf8');
      parts.push(header({ name: 'PaxHeader', mode: 0o644, size: body.length, type: 'x' }), ...padded(body));
    }
    const name = split ?? { name: path.slice(-100) };
    const content = entry.type === 'file' ? entry.content : Buffer.alloc(0);
    const mode = entry.type === 'symlink' ? 0o777 : entry.mode;
    const type = entry.type === 'file' ? '0' : entry.type === 'symlink' ? '2' : '5';
    parts.push(header({ ...name, mode, size: content.length, type, linkname: linkname && Buffer.byteLength(linkname) <= 100 ? linkname : undefined }));
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
