// The session's gRPC side, called the way the engine calls it (HTTP/2, length-prefixed messages,
// the status in trailers). The file transfer itself is tested against the real engine
// (test/build-session.test.ts).
import * as http2 from 'node:http2';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer } from 'node:http';
import { metadata, openBuildSession, serveSession } from './buildkit-session.js';
import { decodePacket, encodePacket, PACKET } from './filesync.js';

function grpcFrame(payload: Buffer): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, 5);
  return out;
}

function messagesOf(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 5 <= body.length; ) {
    const length = body.readUInt32BE(at + 1);
    out.push(body.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return out;
}

let port = 0;
const sockets: Socket[] = [];
const server = createServer((socket) => {
  sockets.push(socket);
  serveSession(http2, socket, [{ type: 'file', path: 'Dockerfile', mode: 0o644, content: Buffer.from('FROM scratch\n') }]);
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  sockets.forEach((s) => s.destroy());
  server.close();
});

/** One call: the request messages, then the answer's messages and grpc-status. */
async function call(path: string, messages: Buffer[], headers: Record<string, string | string[]> = {}, answer?: (reply: Buffer, write: (b: Buffer) => void, end: () => void) => void) {
  const client = http2.connect(`http://127.0.0.1:${port}`);
  try {
    const stream = client.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', ...headers });
    const chunks: Buffer[] = [];
    let trailers: http2.IncomingHttpHeaders = {};
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (c: Buffer) => {
      chunks.push(c);
      answer?.(c, (b) => stream.write(grpcFrame(b)), () => stream.end());
    });
    for (const m of messages) stream.write(grpcFrame(m));
    if (!answer) stream.end();
    await new Promise((resolve) => stream.on('close', resolve));
    return { messages: messagesOf(Buffer.concat(chunks)), status: trailers['grpc-status'], message: trailers['grpc-message'] };
  } finally {
    client.close();
  }
}

describe('BuildKit session over HTTP/2', () => {
  it('answers health checks SERVING (the engine drops a session whose check fails)', async () => {
    const reply = await call('/grpc.health.v1.Health/Check', [Buffer.alloc(0)]);
    expect(reply.status).toBe('0');
    expect(reply.messages.map((m) => m.toString('hex'))).toEqual(['0801']);
  });

  it('ends a call whose message is compressed (none was announced)', async () => {
    const compressed = Buffer.from([1, 0, 0, 0, 2, 0x08, 0x01]);
    const client = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const stream = client.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc' });
      let trailers: http2.IncomingHttpHeaders = {};
      stream.on('trailers', (t) => (trailers = t));
      stream.resume();
      stream.end(compressed);
      await new Promise((resolve) => stream.on('close', resolve));
      expect(trailers['grpc-status']).toBe('12');
    } finally {
      client.close();
    }
  });

  it('refuses other methods and directories it does not serve', async () => {
    expect((await call('/moby.filesync.v1.Auth/Credentials', [Buffer.alloc(0)])).status).toBe('12');
    const other = await call('/moby.filesync.v1.FileSync/DiffCopy', [], { 'dir-name': 'secrets' });
    expect(other.status).toBe('5');
    expect(decodeURIComponent(String(other.message))).toBe('no access allowed to dir "secrets"');
  });

  it('sends the listing, the file asked for, and FIN', async () => {
    let requested = false;
    const reply = await call('/moby.filesync.v1.FileSync/DiffCopy', [], { 'dir-name': 'dockerfile', followpaths: ['Dockerfile', 'Dockerfile.dockerignore'] }, (_chunk, write, end) => {
      if (requested) return;
      requested = true;
      write(encodePacket(PACKET.REQ, { id: 0 }));
      write(encodePacket(PACKET.FIN));
      end();
    });
    expect(reply.status).toBe('0');
    const packets = reply.messages.map(decodePacket);
    expect(packets.map((p) => p.type)).toEqual([PACKET.STAT, PACKET.STAT, PACKET.DATA, PACKET.DATA, PACKET.FIN]);
    expect(packets[2]!.data?.toString()).toBe('FROM scratch\n');
  });
});

describe('metadata', () => {
  it('keeps repeated keys apart and decodes values the engine marked as query-escaped', () => {
    expect(metadata(['followpaths', 'a,b', 'FollowPaths', 'c', 'exclude-patterns', 'caf%C3%A9+x', 'exclude-patterns-encoded', '1', 'include-patterns', '%zz', 'include-patterns-encoded', 'true'])).toEqual(
      new Map([
        ['followpaths', ['a,b', 'c']],
        ['exclude-patterns', ['café x']],
        ['exclude-patterns-encoded', ['1']],
        ['include-patterns', ['%zz']],
        ['include-patterns-encoded', ['true']],
      ]),
    );
  });
});

describe('openBuildSession', () => {
  it('is null (the caller sends a tar) when the engine answers the upgrade with an error', async () => {
    const engine = createHttpServer((req, res) => {
      res.writeHead(req.url === '/session' ? 404 : 500, { 'Content-Type': 'application/json' }).end('{"message":"page not found"}');
    });
    await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
    try {
      expect(await openBuildSession({ host: '127.0.0.1', port: (engine.address() as AddressInfo).port }, [], 'key')).toBeNull();
    } finally {
      engine.close();
    }
  });
});
