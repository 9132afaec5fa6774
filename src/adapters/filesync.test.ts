import { describe, expect, it } from 'vitest';
import { withParentDirs, type TarEntry } from '../core/tar.js';
import { decodePacket, encodePacket, FileSender, PACKET, selectEntries, walkOrder } from './filesync.js';

const file = (path: string, content = path, mode = 0o644): TarEntry => ({ type: 'file', path, mode, content: Buffer.from(content) });
const none = { includePatterns: [], excludePatterns: [], followPaths: [] };

describe('walkOrder', () => {
  it('is filepath.Walk order: a directory, then what it holds, before a longer sibling name', () => {
    const paths = ['a.txt', 'a/b', 'a', 'a-b', 'a/b/c', 'B', 'a/a'];
    expect(paths.sort(walkOrder)).toEqual(['B', 'a', 'a/a', 'a/b', 'a/b/c', 'a-b', 'a.txt']);
  });
});

describe('selectEntries', () => {
  const entries = withParentDirs([file('Dockerfile'), file('.dockerignore'), file('src/app.js'), file('src/lib/util.js'), file('docs/readme.md')]);

  it('sends everything, parents first, in walk order, when nothing is asked for', () => {
    expect(selectEntries(entries, none).map((e) => e.path)).toEqual(['.dockerignore', 'Dockerfile', 'docs', 'docs/readme.md', 'src', 'src/app.js', 'src/lib', 'src/lib/util.js']);
  });

  it('followpaths: those paths, what lies under them, and their parents; a missing one is no error', () => {
    const picked = selectEntries(entries, { ...none, followPaths: ['Dockerfile', 'Dockerfile.dockerignore', 'src/lib'] });
    expect(picked.map((e) => e.path)).toEqual(['Dockerfile', 'src', 'src/lib', 'src/lib/util.js']);
  });

  it('include patterns select with Docker matching (a directory takes its files); exclude patterns drop', () => {
    expect(selectEntries(entries, { ...none, includePatterns: ['.dockerignore'] }).map((e) => e.path)).toEqual(['.dockerignore']);
    expect(selectEntries(entries, { ...none, includePatterns: ['src'] }).map((e) => e.path)).toEqual(['src', 'src/app.js', 'src/lib', 'src/lib/util.js']);
    expect(selectEntries(entries, { ...none, excludePatterns: ['src/lib', 'docs', '!docs/readme.md', '*.md'] }).map((e) => e.path)).toEqual(['.dockerignore', 'Dockerfile', 'docs', 'docs/readme.md', 'src', 'src/app.js']);
    // `*.md` is anchored at the root (Docker's rule), so the exception keeps docs/readme.md.
    expect(selectEntries(entries, { ...none, excludePatterns: ['**/*.md', 'src/**'] }).map((e) => e.path)).toEqual(['.dockerignore', 'Dockerfile']);
  });
});

describe('packets', () => {
  it('round-trips the fields the sender reads, IDs and data of any size included', () => {
    const data = Buffer.alloc(70_000, 7);
    expect(decodePacket(encodePacket(PACKET.DATA, { id: 300, data }))).toEqual({ type: PACKET.DATA, id: 300, data });
    expect(decodePacket(encodePacket(PACKET.FIN))).toEqual({ type: PACKET.FIN, id: 0 });
    expect(() => decodePacket(Buffer.from([0x22, 0x05, 0x01]))).toThrow('truncated');
  });

  it('a directory STAT carries Go\'s directory bit as an unsigned varint; the listing ends with an empty STAT', () => {
    const sent: Buffer[] = [];
    new FileSender([{ type: 'dir', path: 'd', mode: 0o755 }], (p) => sent.push(p)).start();
    // Packet{stat: Stat{path: "d", mode: 0x800001ed}}: mode as the varint ed 83 80 80 08.
    expect(sent.map((p) => p.toString('hex'))).toEqual(['12090a016410ed83808008', '']);
  });

  it('answers a request with the file in 32 KiB packets and an empty one, and FIN with FIN', () => {
    const sent: Buffer[] = [];
    const big = Buffer.alloc(40_000, 1);
    const sender = new FileSender([{ type: 'dir', path: 'd', mode: 0o755 }, { type: 'file', path: 'd/f', mode: 0o644, content: big }], (p) => sent.push(p));
    sender.start();
    sent.length = 0;
    expect(sender.receive({ type: PACKET.REQ, id: 1 })).toBe(false);
    expect(sent.map(decodePacket).map((p) => [p.type, p.id, p.data?.length ?? 0])).toEqual([[PACKET.DATA, 1, 32_768], [PACKET.DATA, 1, 40_000 - 32_768], [PACKET.DATA, 1, 0]]);
    expect(() => sender.receive({ type: PACKET.REQ, id: 0 })).toThrow('not a file');
    expect(() => sender.receive({ type: PACKET.ERR, id: 0, data: Buffer.from('disk full') })).toThrow('disk full');
    sent.length = 0;
    expect(sender.receive({ type: PACKET.FIN, id: 0 })).toBe(true);
    expect(sent.map(decodePacket)).toEqual([{ type: PACKET.FIN, id: 0 }]);
  });
});
