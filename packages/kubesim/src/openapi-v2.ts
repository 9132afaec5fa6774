// OpenAPI v2 as kubectl reads it: protobuf of gnostic's openapi_v2.Document
// (proto/gnostic/OpenAPIv2.proto, loaded with protobufjs), holding the vendored definitions and a
// path per kind whose PATCH takes `fieldValidation` (so kubectl validates server-side). Vendor
// extensions and defaults travel as YAML text, as gnostic stores them (JSON is YAML).
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { builtinDefinitions } from './schema.js';
import type { ResourceRegistry } from './resources.js';
import type { Obj } from './store.js';

const PROTO = fileURLToPath(new URL('../proto/gnostic/OpenAPIv2.proto', import.meta.url));
let documentType: protobuf.Type | undefined;
let cached: { key: string; bytes: Buffer } | undefined;

const any = (value: unknown) => ({ yaml: JSON.stringify(value) });
const extensions = (node: Obj) => Object.entries(node).filter(([k]) => k.startsWith('x-')).map(([name, value]) => ({ name, value: any(value) }));

/** A JSON schema as gnostic's Schema message (keepCase field names). */
function schema(node: Obj): Obj {
  const out: Obj = {};
  const copy = ['format', 'title', 'description', 'pattern', 'discriminator'] as const;
  for (const k of copy) if (typeof node[k] === 'string') out[k] = node[k];
  if (node.$ref) out._ref = node.$ref;
  if (node.type) out.type = { value: Array.isArray(node.type) ? node.type : [node.type] };
  if (node.required) out.required = node.required;
  if (node.enum) out.enum = (node.enum as unknown[]).map(any);
  if (node.default !== undefined) out.default = any(node.default);
  if (node.example !== undefined) out.example = any(node.example);
  for (const [json, proto] of [['minimum', 'minimum'], ['maximum', 'maximum'], ['maxLength', 'max_length'], ['minLength', 'min_length'], ['maxItems', 'max_items'], ['minItems', 'min_items'], ['maxProperties', 'max_properties'], ['minProperties', 'min_properties'], ['multipleOf', 'multiple_of']] as const) {
    if (typeof node[json] === 'number') out[proto] = node[json];
  }
  if (node.uniqueItems) out.unique_items = true;
  if (node.readOnly) out.read_only = true;
  if (node.items) out.items = { schema: (Array.isArray(node.items) ? node.items : [node.items]).map(schema) };
  if (node.allOf) out.all_of = (node.allOf as Obj[]).map(schema);
  if (node.properties) out.properties = { additional_properties: Object.entries(node.properties as Obj).map(([name, value]) => ({ name, value: schema(value) })) };
  if (node.additionalProperties !== undefined) out.additional_properties = typeof node.additionalProperties === 'boolean' ? { boolean: node.additionalProperties } : { schema: schema(node.additionalProperties) };
  const ext = extensions(node);
  if (ext.length) out.vendor_extension = ext;
  return out;
}

const gvPath = (group: string, version: string) => (group === '' ? `api/${version}` : `apis/${group}/${version}`);

export function openApiV2Protobuf(registry: ResourceRegistry): Buffer {
  const types = registry.all();
  const key = types.map((r) => `${r.group}/${r.version}/${r.kind}`).join(',');
  if (cached?.key === key) return cached.bytes;
  if (!documentType) {
    const root = new protobuf.Root();
    root.loadSync(PROTO, { keepCase: true });
    documentType = root.lookupType('openapi.v2.Document');
  }
  const query = (name: string) => ({ parameter: { non_body_parameter: { query_parameter_sub_schema: { in: 'query', name, type: 'string' } } } });
  const path = types.map((r) => ({
    name: `/${gvPath(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`,
    value: {
      patch: {
        parameters: ['fieldValidation', 'fieldManager', 'dryRun'].map(query),
        vendor_extension: [{ name: 'x-kubernetes-group-version-kind', value: any({ group: r.group, kind: r.kind, version: r.version }) }],
      },
    },
  }));
  const definitions = Object.entries(builtinDefinitions()).map(([name, value]) => ({ name, value: schema(value) }));
  const document = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths: { path }, definitions: { additional_properties: definitions } };
  const bytes = Buffer.from(documentType.encode(documentType.fromObject(document)).finish());
  cached = { key, bytes };
  return bytes;
}
