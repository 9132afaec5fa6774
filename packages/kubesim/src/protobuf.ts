// Kubernetes protobuf bodies (what client-go's typed clients send since 1.32: kubectl create,
// auth can-i, rollout undo, Helm's release storage): the "k8s\0" envelope around a
// runtime.Unknown, decoded and encoded with the real generated.proto files (proto/, see
// scripts/vendor-proto.mjs) through protobufjs, with the JSON mapping of apimachinery's special
// types (Time, Quantity, IntOrString, RawExtension, FieldsV1), Go's omitempty rules and its
// inlined embedded structs.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { badRequest } from './status.js';
import type { Obj } from './store.js';

const PROTO_DIR = fileURLToPath(new URL('../proto/', import.meta.url));
const MAGIC = Buffer.from('k8s\0', 'latin1');
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const CRD = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';
const OPTION_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status']);

interface GoFields {
  /** Fields whose zero value JSON keeps. */
  keep: Set<string>;
  /** Embedded structs JSON inlines into the parent. */
  inline: Set<string>;
  /** proto field -> JSON name where they differ. */
  rename: Map<string, string>;
}

let loaded: { root: protobuf.Root; goFields: Map<string, GoFields> } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'generated.proto') files.push(join(dir, e.name).slice(PROTO_DIR.length));
    }
  };
  walk(PROTO_DIR);
  root.loadSync(files.sort(), { keepCase: true });
  root.resolveAll();
  const goFields = new Map<string, GoFields>();
  for (const [message, fields] of Object.entries(JSON.parse(readFileSync(join(PROTO_DIR, 'go-fields.json'), 'utf8')) as Record<string, { keep?: string[]; inline?: string[]; rename?: Record<string, string> }>)) {
    goFields.set(message, { keep: new Set(fields.keep), inline: new Set(fields.inline), rename: new Map(Object.entries(fields.rename ?? {})) });
  }
  return (loaded = { root, goFields });
}

/** The proto message of a kind: `apps/v1` Deployment is k8s.io.api.apps.v1.Deployment; options are meta/v1's. */
function messageFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const { root } = load();
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  const name =
    OPTION_KINDS.has(kind) || group === 'meta.k8s.io'
      ? `${META}.${kind}`
      : group === 'apiextensions.k8s.io'
        ? `k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.${version}.${kind}`
        : `k8s.io.api.${group === '' ? 'core' : group.split('.')[0]}.${version}.${kind}`;
  try {
    return root.lookupType(name);
  } catch {
    return undefined;
  }
}

export const isKubernetesProtobuf = (body: Buffer) => body.length >= 4 && body.subarray(0, 4).equals(MAGIC);

/** Decodes a protobuf request body into the JSON object it stands for. */
export function decodeKubernetesProtobuf(body: Buffer): Obj {
  const { root } = load();
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array;
  try {
    const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown').decode(body.subarray(4)) as any;
    apiVersion = unknown.typeMeta?.apiVersion ?? '';
    kind = unknown.typeMeta?.kind ?? '';
    raw = unknown.raw ?? new Uint8Array();
  } catch (err) {
    throw badRequest(`the body of the request was in an unknown format: ${(err as Error).message}`);
  }
  const type = messageFor(apiVersion, kind);
  if (!type) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "k8s.io/apimachinery/pkg/runtime/scheme.go:100"`);
  try {
    return { apiVersion, kind, ...toJson(type.decode(raw), type) };
  } catch (err) {
    throw badRequest(`${kind} in version "${apiVersion}" cannot be handled as a ${kind}: ${(err as Error).message}`);
  }
}

/** Encodes a JSON object as a protobuf response body, or undefined when its kind has no message. */
export function encodeKubernetesProtobuf(object: Obj): Buffer | undefined {
  const type = messageFor(String(object.apiVersion ?? 'v1'), String(object.kind ?? ''));
  if (!type) return undefined;
  const { root } = load();
  const raw = type.encode(type.fromObject(fromJson(object, type))).finish();
  const unknown = root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const envelope = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion: object.apiVersion, kind: object.kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, envelope]);
}

const isZero = (v: unknown) => v === '' || v === 0 || v === false || (typeof v === 'object' && v !== null && 'isZero' in v && (v as { isZero(): boolean }).isZero());
const num = (v: unknown) => (typeof v === 'number' ? v : Number(String(v)));

function rfc3339(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const s = (ns % 6e10) / 1e9;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** A decoded message as the JSON the API server would show. */
function toJson(message: any, type: protobuf.Type): any {
  const name = type.fullName.slice(1);
  // Go's zero time marshals to null.
  if (name === `${META}.Time` || name === `${META}.MicroTime`) return !num(message.seconds ?? 0) && !num(message.nanos ?? 0) ? null : rfc3339(num(message.seconds ?? 0), num(message.nanos ?? 0), name.endsWith('MicroTime'));
  if (name === `${META}.Duration`) return goDuration(num(message.duration ?? 0));
  if (name === 'k8s.io.apimachinery.pkg.api.resource.Quantity') return message.string ?? '0';
  if (name === 'k8s.io.apimachinery.pkg.util.intstr.IntOrString') return num(message.type ?? 0) === 1 ? (message.strVal ?? '') : num(message.intVal ?? 0);
  if (name === 'k8s.io.apimachinery.pkg.runtime.RawExtension') return message.raw?.length ? JSON.parse(Buffer.from(message.raw).toString('utf8')) : null;
  if (name === `${META}.FieldsV1`) return message.Raw?.length ? JSON.parse(Buffer.from(message.Raw).toString('utf8')) : {};
  // apiextensions' JSON-schema unions, which marshal themselves in Go.
  if (name === `${CRD}.JSON`) return message.raw?.length ? JSON.parse(Buffer.from(message.raw).toString('utf8')) : null;
  if (name === `${CRD}.JSONSchemaPropsOrArray` || name === `${CRD}.JSONSchemaPropsOrStringArray`) {
    const props = type.lookupType(`${CRD}.JSONSchemaProps`);
    return message.schema ? toJson(message.schema, props) : name.endsWith('StringArray') ? [...(message.property ?? [])] : (message.jSONSchemas ?? []).map((m: unknown) => toJson(m, props));
  }
  if (name === `${CRD}.JSONSchemaPropsOrBool`) return message.schema ? toJson(message.schema, type.lookupType(`${CRD}.JSONSchemaProps`)) : Boolean(message.allows);
  const go = load().goFields.get(name);
  const keep = go?.keep;
  const out: Obj = {};
  for (const field of type.fieldsArray) {
    // protobufjs keeps defaults on the prototype: only own properties were on the wire.
    if (!Object.hasOwn(message, field.name)) continue;
    const value = message[field.name];
    const jsonName = go?.rename.get(field.name) ?? field.name;
    const kept = keep?.has(field.name) ?? false;
    if (value === undefined || value === null) continue;
    const convert = (v: unknown) => (field.resolvedType instanceof protobuf.Type ? toJson(v, field.resolvedType) : field.type === 'bytes' ? Buffer.from(v as Uint8Array).toString('base64') : typeof v === 'object' ? num(v) : v);
    if (go?.inline.has(field.name)) Object.assign(out, convert(value));
    else if (field.map) {
      const entries = Object.entries(value as Obj);
      if (entries.length || kept) out[jsonName] = Object.fromEntries(entries.map(([k, v]) => [k, convert(v)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length || kept) out[jsonName] = (value as unknown[]).map(convert);
    } else if (field.resolvedType instanceof protobuf.Type || kept || !isZero(value)) out[jsonName] = convert(value);
  }
  return out;
}

/** The JSON shape of an object turned into protobufjs's object form for `type`. */
function fromJson(value: any, type: protobuf.Type): any {
  const name = type.fullName.slice(1);
  if (name === `${META}.Time` || name === `${META}.MicroTime`) {
    if (!value) return {};
    const ms = Date.parse(value);
    return { seconds: Math.floor(ms / 1000), nanos: name.endsWith('MicroTime') ? Number(/\.(\d+)/.exec(value)?.[1]?.padEnd(9, '0') ?? 0) : 0 };
  }
  if (name === 'k8s.io.apimachinery.pkg.api.resource.Quantity') return { string: String(value) };
  if (name === 'k8s.io.apimachinery.pkg.util.intstr.IntOrString') return typeof value === 'number' ? { type: 0, intVal: value } : { type: 1, strVal: String(value) };
  if (name === 'k8s.io.apimachinery.pkg.runtime.RawExtension') return { raw: Buffer.from(JSON.stringify(value)) };
  if (name === `${META}.FieldsV1`) return { Raw: Buffer.from(JSON.stringify(value)) };
  if (name === `${CRD}.JSON`) return { raw: Buffer.from(JSON.stringify(value)) };
  if (name === `${CRD}.JSONSchemaPropsOrArray` || name === `${CRD}.JSONSchemaPropsOrStringArray` || name === `${CRD}.JSONSchemaPropsOrBool`) {
    const props = type.lookupType(`${CRD}.JSONSchemaProps`);
    if (typeof value === 'boolean') return { allows: value };
    if (!Array.isArray(value)) return { schema: fromJson(value, props), ...(name.endsWith('OrBool') ? { allows: true } : {}) };
    return name.endsWith('StringArray') ? { property: value } : { jSONSchemas: value.map((v) => fromJson(v, props)) };
  }
  if (typeof value !== 'object' || value === null) return value;
  const go = load().goFields.get(name);
  const jsonNames = go?.rename ?? new Map<string, string>();
  const out: Obj = {};
  for (const field of type.fieldsArray) {
    const v = go?.inline.has(field.name) ? value : value[jsonNames.get(field.name) ?? field.name];
    // A null Time is Go's zero time: an empty message on the wire.
    if (v === null && /\.(Micro)?Time$/.test(field.resolvedType?.fullName ?? '')) out[field.name] = {};
    if (v === undefined || v === null) continue;
    const convert = (x: unknown) => (field.resolvedType instanceof protobuf.Type ? fromJson(x, field.resolvedType) : field.type === 'bytes' ? Buffer.from(String(x), 'base64') : x);
    if (field.map) out[field.name] = Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k, convert(x)]));
    else if (field.repeated) out[field.name] = (v as unknown[]).map(convert);
    else out[field.name] = convert(v);
  }
  return out;
}
