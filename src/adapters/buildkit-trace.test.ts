import { describe, expect, it } from 'vitest';
import { decodeTrace, TraceLines } from './buildkit-trace.js';

// A minimal protobuf encoder for the test: (field, wire type 2, bytes) and (field, varint).
const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};
const bytes = (no: number, value: Buffer | string) => {
  const b = Buffer.isBuffer(value) ? value : Buffer.from(value);
  return Buffer.concat([varint((no << 3) | 2), varint(b.length), b]);
};
const num = (no: number, value: number) => Buffer.concat([varint(no << 3), varint(value)]);

const vertex = (digest: string, name: string, extra: Buffer[] = []) => bytes(1, Buffer.concat([bytes(1, digest), bytes(3, name), ...extra]));
const logEntry = (digest: string, msg: string) => bytes(3, Buffer.concat([bytes(1, digest), bytes(2, Buffer.alloc(0)), num(3, 1), bytes(4, msg)]));

describe('BuildKit trace', () => {
  it('decodes vertexes, their errors and the log lines steps print', () => {
    const started = bytes(5, Buffer.alloc(0));
    const aux = Buffer.concat([vertex('sha256:a', '[2/2] RUN make', [started]), logEntry('sha256:a', 'compiling widgets\nfatal: widget 7 is br'), logEntry('sha256:a', 'oken\n')]).toString('base64');
    const trace = decodeTrace(aux);
    expect(trace.vertexes).toEqual([{ digest: 'sha256:a', name: '[2/2] RUN make', cached: false, started: true, completed: false, error: '' }]);
    expect(trace.logs.map((l) => l.msg.toString())).toEqual(['compiling widgets\nfatal: widget 7 is br', 'oken\n']);

    const lines: string[] = [];
    const reader = new TraceLines((l) => lines.push(l));
    reader.push(aux);
    reader.push(Buffer.concat([vertex('sha256:a', '[2/2] RUN make', [started, bytes(7, 'process "/bin/sh -c make" did not complete successfully: exit code: 3')])]).toString('base64'));
    reader.flush();
    expect(lines).toEqual(['[2/2] RUN make', '  compiling widgets', '  fatal: widget 7 is broken', 'ERROR: [2/2] RUN make: process "/bin/sh -c make" did not complete successfully: exit code: 3']);
  });

  it('ignores payloads that are not a trace', () => {
    const lines: string[] = [];
    new TraceLines((l) => lines.push(l)).push(Buffer.from([0xff, 0xff, 0xff]).toString('base64'));
    expect(lines).toEqual([]);
  });
});
