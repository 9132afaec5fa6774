// BuildKit progress as the Docker engine streams it: events `{id: "moby.buildkit.trace", aux:
// <base64 protobuf moby.buildkit.v1.StatusResponse>}`. dockerode hands them over undecoded, so a
// failed build's output would read as base64. This decodes the few fields we show: vertex names
// (the steps), their errors, and the log lines the steps printed.
//
// StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2;
//                  repeated VertexLog logs = 3; repeated VertexWarning warnings = 4; }
// Vertex { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
//          Timestamp started = 5; Timestamp completed = 6; string error = 7; }
// VertexLog { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }

export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  started: boolean;
  completed: boolean;
  error: string;
}

export interface TraceLog {
  vertex: string;
  stream: number;
  msg: Buffer;
}

export interface Trace {
  vertexes: TraceVertex[];
  logs: TraceLog[];
}

type Field = { no: number; wire: number; value: bigint | Buffer };

function* fields(buf: Buffer): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated field');
      yield { no, wire, value: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function vertex(buf: Buffer): TraceVertex {
  const v: TraceVertex = { digest: '', name: '', cached: false, started: false, completed: false, error: '' };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.wire === 2) v.digest = (f.value as Buffer).toString('utf8');
    else if (f.no === 3 && f.wire === 2) v.name = (f.value as Buffer).toString('utf8');
    else if (f.no === 4 && f.wire === 0) v.cached = f.value !== 0n;
    else if (f.no === 5) v.started = true;
    else if (f.no === 6) v.completed = true;
    else if (f.no === 7 && f.wire === 2) v.error = (f.value as Buffer).toString('utf8');
  }
  return v;
}

function log(buf: Buffer): TraceLog {
  const l: TraceLog = { vertex: '', stream: 0, msg: Buffer.alloc(0) };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.wire === 2) l.vertex = (f.value as Buffer).toString('utf8');
    else if (f.no === 3 && f.wire === 0) l.stream = Number(f.value);
    else if (f.no === 4 && f.wire === 2) l.msg = Buffer.from(f.value as Buffer);
  }
  return l;
}

/** Decodes one `aux` payload (base64); throws on bytes that are not a StatusResponse. */
export function decodeTrace(aux: string): Trace {
  const trace: Trace = { vertexes: [], logs: [] };
  for (const f of fields(Buffer.from(aux, 'base64'))) {
    if (f.wire !== 2) continue;
    if (f.no === 1) trace.vertexes.push(vertex(f.value as Buffer));
    else if (f.no === 3) trace.logs.push(log(f.value as Buffer));
  }
  return trace;
}

/** Turns trace events into the lines a person reads, keeping partial lines per vertex. */
export class TraceLines {
  private readonly names = new Map<string, string>();
  private readonly announced = new Set<string>();
  private readonly partial = new Map<string, string>();

  constructor(private readonly emit: (line: string) => void) {}

  push(aux: string): void {
    let trace: Trace;
    try {
      trace = decodeTrace(aux);
    } catch {
      return; // not a trace we understand: nothing worth printing
    }
    for (const v of trace.vertexes) {
      if (v.name) this.names.set(v.digest, v.name);
      if (v.started && !this.announced.has(v.digest) && v.name) {
        this.announced.add(v.digest);
        this.emit(`${v.name}${v.cached ? ' (cached)' : ''}`);
      }
      if (v.error) this.emit(`ERROR: ${v.name || v.digest}: ${v.error}`);
    }
    for (const l of trace.logs) {
      const text = (this.partial.get(l.vertex) ?? '') + l.msg.toString('utf8').replace(/\r\n?/g, '\n');
      const lines = text.split('\n');
      this.partial.set(l.vertex, lines.pop()!);
      for (const line of lines) this.emit(`  ${line}`);
    }
  }

  flush(): void {
    for (const [vertex, rest] of this.partial) if (rest) this.emit(`  ${rest}`);
    this.partial.clear();
  }
}
