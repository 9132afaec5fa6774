// Kubernetes protobuf request bodies (what kubectl's typed clients send, e.g. `kubectl create
// namespace`): the "k8s\0" envelope (runtime.Unknown) and the few kinds kubectl creates that way.
// Field numbers from k8s.io/apimachinery meta/v1 and k8s.io/api core/v1 generated.proto.
import { badRequest } from './status.js';
import type { Obj } from './store.js';

type Fields = Map<number, (Buffer | number)[]>;

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++]!;
    result += (byte & 127) * 2 ** shift;
    if (byte < 128) return [result, pos];
    shift += 7;
  }
}

function decode(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer | number;
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      value = buf.subarray(pos, pos + len);
      pos += len;
    } else if (wire === 1) {
      value = buf.readDoubleLE(pos);
      pos += 8;
    } else if (wire === 5) {
      value = buf.readFloatLE(pos);
      pos += 4;
    } else throw badRequest(`protobuf: unsupported wire type ${wire}`);
    fields.set(no, [...(fields.get(no) ?? []), value]);
  }
  return fields;
}

const str = (f: Fields, no: number) => (f.get(no)?.[0] as Buffer | undefined)?.toString('utf8');
const strs = (f: Fields, no: number) => ((f.get(no) ?? []) as Buffer[]).map((b) => b.toString('utf8'));
const msg = (f: Fields, no: number) => f.get(no)?.[0] as Buffer | undefined;
function map(f: Fields, no: number, bytes = false): Record<string, string> | undefined {
  const entries = (f.get(no) ?? []) as Buffer[];
  if (!entries.length) return undefined;
  return Object.fromEntries(
    entries.map((e) => {
      const kv = decode(e);
      const v = msg(kv, 2) ?? Buffer.alloc(0);
      return [str(kv, 1) ?? '', bytes ? v.toString('base64') : v.toString('utf8')];
    }),
  );
}
const clean = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));

function objectMeta(buf: Buffer | undefined): Obj {
  if (!buf) return {};
  const f = decode(buf);
  return clean({
    name: str(f, 1),
    generateName: str(f, 2),
    namespace: str(f, 3),
    labels: map(f, 11),
    annotations: map(f, 12),
    finalizers: strs(f, 14),
  });
}

const KINDS: Record<string, (f: Fields) => Obj> = {
  Namespace: (f) => clean({ spec: msg(f, 2) ? clean({ finalizers: strs(decode(msg(f, 2)!), 1) }) : undefined }),
  ConfigMap: (f) => clean({ data: map(f, 2), binaryData: map(f, 3, true), immutable: f.has(4) ? f.get(4)![0] === 1 : undefined }),
  Secret: (f) => clean({ data: map(f, 2, true), type: str(f, 3), stringData: map(f, 4), immutable: f.has(5) ? f.get(5)![0] === 1 : undefined }),
  ServiceAccount: (f) => clean({ automountServiceAccountToken: f.has(4) ? f.get(4)![0] === 1 : undefined }),
};

export const isKubernetesProtobuf = (body: Buffer) => body.length >= 4 && body.subarray(0, 4).toString('latin1') === 'k8s\0';

/** Decodes a protobuf request body into the JSON object it stands for. */
export function decodeKubernetesProtobuf(body: Buffer): Obj {
  const unknown = decode(body.subarray(4));
  const typeMeta = decode(msg(unknown, 1) ?? Buffer.alloc(0));
  const apiVersion = str(typeMeta, 1) ?? '';
  const kind = str(typeMeta, 2) ?? '';
  const decodeKind = KINDS[kind];
  if (!decodeKind || apiVersion !== 'v1') {
    throw badRequest(`kubesim reads protobuf bodies only for v1 ${Object.keys(KINDS).join(', ')}; send ${kind} as JSON`);
  }
  const fields = decode(msg(unknown, 2) ?? Buffer.alloc(0));
  return { apiVersion, kind, metadata: objectMeta(msg(fields, 1)), ...decodeKind(fields) };
}
