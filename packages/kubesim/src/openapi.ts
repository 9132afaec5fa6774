// Minimal OpenAPI v3 documents: enough for kubectl to see that every kind's PATCH takes the
// `fieldValidation` query parameter, so it validates server-side instead of downloading schemas.
import { apiVersionOf, type ResourceRegistry } from './resources.js';

const gvPath = (group: string, version: string) => (group === '' ? `api/${version}` : `apis/${group}/${version}`);

export function openApiRoot(registry: ResourceRegistry): object {
  return {
    paths: Object.fromEntries(
      registry.groupVersions().map(({ group, version }) => [gvPath(group, version), { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=kubesim` }]),
    ),
  };
}

export function openApiGroupVersion(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.all().filter((r) => r.group === group && r.version === version);
  if (!types.length) return undefined;
  const paths: Record<string, object> = {};
  const parameters = ['fieldValidation', 'fieldManager', 'dryRun', 'force'].map((name) => ({ name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } }));
  for (const r of types) {
    const base = `/${gvPath(group, version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    const gvk = { group, version, kind: r.kind };
    paths[base] = {
      get: { 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: {} },
      patch: { 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters, responses: {} },
      put: { 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk, parameters, responses: {} },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (kubesim)', version: apiVersionOf(types[0]!) }, paths, components: { schemas: {} } };
}

// kubectl reads OpenAPI v2 only as protobuf (gnostic openapi_v2.Document). Field numbers from
// gnostic's OpenAPIv2.proto: Document.swagger=1 info=2 paths=8; Paths.path=2; NamedPathItem
// name=1 value=2; PathItem.patch=8; Operation.parameters=8 vendor_extension=13; ParametersItem
// parameter=1; Parameter.non_body_parameter=2; NonBodyParameter.query_parameter_sub_schema=3;
// QueryParameterSubSchema in=2 name=4 type=6; NamedAny name=1 value=2; Any.yaml=2.
function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 127) {
    bytes.push((n & 127) | 128);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.from(bytes);
}
const field = (no: number, payload: Buffer | string): Buffer => {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([varint((no << 3) | 2), varint(data.length), data]);
};

export function openApiV2Protobuf(registry: ResourceRegistry): Buffer {
  const query = (name: string) => field(8, field(1, field(2, field(3, Buffer.concat([field(2, 'query'), field(4, name), field(6, 'string')])))));
  const paths = registry.all().map((r) => {
    const path = `/${gvPath(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    const gvk = field(13, Buffer.concat([field(1, 'x-kubernetes-group-version-kind'), field(2, field(2, `group: "${r.group}"\nkind: ${r.kind}\nversion: ${r.version}\n`))]));
    const operation = Buffer.concat([query('fieldValidation'), query('fieldManager'), query('dryRun'), gvk]);
    return field(2, Buffer.concat([field(1, path), field(2, field(8, operation))]));
  });
  return Buffer.concat([field(1, '2.0'), field(2, Buffer.concat([field(1, 'Kubernetes (kubesim)'), field(2, 'v1.32.4')])), field(8, Buffer.concat(paths))]);
}
