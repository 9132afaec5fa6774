// Types of objects, read from real Kubernetes OpenAPI: the vendored v2 definitions of the built-in
// kinds (openapi/definitions.json.gz, see scripts/vendor-openapi.mjs) and each CRD's
// openAPIV3Schema. Server-side apply, strategic merge, pruning and field validation all ask these
// types, as the API server asks its schema (kube-openapi schemaconv/smd.go).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Obj } from './store.js';

export type ListType = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

/** A node of a type: what a value at some path must look like. */
export type TypeNode =
  | { kind: 'struct'; name?: string; fields: Record<string, Obj>; atomic: boolean; preserveUnknown: boolean; source: Source }
  | { kind: 'map'; value: Obj | undefined; atomic: boolean; source: Source }
  | { kind: 'list'; items: Obj | undefined; list: ListType; patch: { strategy?: string; mergeKey?: string }; source: Source }
  | { kind: 'scalar' }
  /** No schema (or x-kubernetes-preserve-unknown-fields): maps granular, lists atomic, anything goes. */
  | { kind: 'untyped' };

/** Where `$ref`s resolve. */
export interface Source {
  definitions: Record<string, Obj>;
}

export const UNTYPED: TypeNode = { kind: 'untyped' };

/** Non-zero defaults of list-map key fields in the real OpenAPI v3 (v2 does not carry defaults). */
const KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.EndpointPort': { protocol: 'TCP' },
  'io.k8s.api.discovery.v1.EndpointPort': { protocol: 'TCP' },
};

let builtin: { source: Source; byGvk: Map<string, string> } | undefined;

function loadBuiltin(): { source: Source; byGvk: Map<string, string> } {
  if (builtin) return builtin;
  const doc = JSON.parse(gunzipSync(readFileSync(new URL('../openapi/definitions.json.gz', import.meta.url))).toString('utf8')) as { definitions: Record<string, Obj> };
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(doc.definitions)) {
    for (const gvk of (def['x-kubernetes-group-version-kind'] ?? []) as Obj[]) byGvk.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, name);
  }
  builtin = { source: { definitions: doc.definitions }, byGvk };
  return builtin;
}

/** All built-in definitions (for the OpenAPI documents kubesim serves). */
export function builtinDefinitions(): Record<string, Obj> {
  return loadBuiltin().source.definitions;
}

/** The definition name of a built-in kind, e.g. `io.k8s.api.apps.v1.Deployment`. */
export function builtinDefinitionName(group: string, version: string, kind: string): string | undefined {
  return loadBuiltin().byGvk.get(`${group}/${version}/${kind}`);
}

/** The root type of a kind: the built-in definition, or a CRD's schema, or untyped. */
export function rootType(group: string, version: string, kind: string, crdSchema?: Obj): TypeNode {
  if (crdSchema) return typeOf(withObjectMeta(crdSchema), { definitions: loadBuiltin().source.definitions });
  const name = builtinDefinitionName(group, version, kind);
  if (!name) return UNTYPED;
  const { source } = loadBuiltin();
  return typeOf({ $ref: `#/definitions/${name}` }, source);
}

/** A CRD's metadata is a real ObjectMeta, whatever its schema says about it. */
function withObjectMeta(schema: Obj): Obj {
  const properties = { ...(schema.properties ?? {}), metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }, apiVersion: { type: 'string' }, kind: { type: 'string' } };
  return { ...schema, type: 'object', properties };
}

function resolve(node: Obj, source: Source): { node: Obj; name?: string } {
  let name: string | undefined;
  for (let i = 0; i < 20; i++) {
    const ref: string | undefined = node.$ref ?? (node.allOf?.length === 1 ? node.allOf[0].$ref : undefined);
    if (!ref) break;
    name = ref.replace(/^#\/(definitions|components\/schemas)\//, '');
    const target = source.definitions[name];
    if (!target) return { node: {}, name };
    // Markers on the referring node (list type, description) stay with it.
    const { $ref: _r, allOf: _a, ...own } = node;
    node = { ...target, ...own };
  }
  return { node, name };
}

export function typeOf(schema: Obj | undefined, source: Source): TypeNode {
  if (!schema) return UNTYPED;
  const { node, name } = resolve(schema, source);
  if (node['x-kubernetes-preserve-unknown-fields'] === true && !node.properties) return UNTYPED;
  if (node['x-kubernetes-int-or-string'] === true) return { kind: 'scalar' };
  if (node.type === 'array') {
    return { kind: 'list', items: node.items, list: listType(node), patch: { strategy: node['x-kubernetes-patch-strategy'], mergeKey: node['x-kubernetes-patch-merge-key'] }, source };
  }
  if (node.properties) return { kind: 'struct', name, fields: node.properties, atomic: node['x-kubernetes-map-type'] === 'atomic', preserveUnknown: node['x-kubernetes-preserve-unknown-fields'] === true, source };
  if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
    return { kind: 'map', value: node.additionalProperties === true ? undefined : node.additionalProperties, atomic: node['x-kubernetes-map-type'] === 'atomic', source };
  }
  if (node.type === 'object' || node.type === undefined) return UNTYPED;
  return { kind: 'scalar' };
}

/** kube-openapi getListElementRelationship: list-type markers first, then patch strategy. */
function listType(node: Obj): ListType {
  const type = node['x-kubernetes-list-type'];
  if (type === 'atomic') return { type: 'atomic' };
  if (type === 'set') return { type: 'set' };
  if (type === 'map') return { type: 'map', keys: node['x-kubernetes-list-map-keys'] ?? [] };
  const strategy = String(node['x-kubernetes-patch-strategy'] ?? '').split(',');
  if (strategy.includes('merge')) return node['x-kubernetes-patch-merge-key'] ? { type: 'map', keys: [node['x-kubernetes-patch-merge-key']] } : { type: 'set' };
  return { type: 'atomic' };
}

/** The type of a struct field (undefined: not declared) or of a map value. */
export function childType(parent: TypeNode, field: string): TypeNode | undefined {
  if (parent.kind === 'untyped') return UNTYPED;
  if (parent.kind === 'struct') return Object.hasOwn(parent.fields, field) ? typeOf(parent.fields[field], parent.source) : parent.preserveUnknown ? UNTYPED : undefined;
  if (parent.kind === 'map') return parent.value ? typeOf(parent.value, parent.source) : UNTYPED;
  return undefined;
}

export function itemType(list: TypeNode): TypeNode {
  return list.kind === 'list' ? typeOf(list.items, list.source) : UNTYPED;
}

/** The key of an associative-list item, missing key fields defaulted as the schema says. */
export function itemKey(list: TypeNode, item: unknown): Record<string, unknown> | undefined {
  if (list.kind !== 'list' || list.list.type !== 'map' || !isObject(item)) return undefined;
  const elem = list.items ? resolve(list.items, list.source) : { node: {} as Obj };
  const key: Record<string, unknown> = {};
  for (const k of [...list.list.keys].sort()) {
    if (item[k] !== undefined) key[k] = item[k];
    else if (elem.name && KEY_DEFAULTS[elem.name]?.[k] !== undefined) key[k] = KEY_DEFAULTS[elem.name]![k];
    else {
      const t = elem.node.properties?.[k]?.type;
      if (t === 'integer' || t === 'number') key[k] = 0;
      else if (t === 'string') key[k] = '';
      else return undefined;
    }
  }
  return key;
}

/** Sets an own property, even `__proto__`: user keys never reach a prototype. */
export function setOwn(obj: Obj, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
