// OpenAPI documents: v3 per group-version, with the real schemas of the kinds served (the vendored
// Kubernetes definitions, and each CRD's schema) so `kubectl explain` works, and paths whose PATCH
// takes `fieldValidation`, so kubectl validates server-side. v2 as JSON here; the protobuf kubectl
// reads is openapi-v2.ts.
import { createHash } from 'node:crypto';
import { builtinDefinitionName, builtinDefinitions } from './schema.js';
import { apiVersionOf, type ResourceRegistry, type ResourceType } from './resources.js';
import type { Obj } from './store.js';

const gvPath = (group: string, version: string) => (group === '' ? `api/${version}` : `apis/${group}/${version}`);

/**
 * The root lists each group-version's document under a hash of what it is made of (its kinds and
 * CRD schemas; the built-in definitions are fixed), so kubectl's cache is refreshed when a CRD
 * changes, as with the API server's content hashes.
 */
export function openApiRoot(registry: ResourceRegistry): object {
  const hash = (group: string, version: string) => {
    const types = registry.all().filter((r) => r.group === group && r.version === version);
    const made = JSON.stringify(types.map((r) => [r.kind, r.plural, r.namespaced, r.schema ?? null]));
    return createHash('sha512').update(`${group}/${version}\0${made}`).digest('hex').slice(0, 128).toUpperCase();
  };
  return {
    paths: Object.fromEntries(
      registry.groupVersions().map(({ group, version }) => [gvPath(group, version), { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash(group, version)}` }]),
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
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas: schemasFor(types) } };
}

/** The definitions a set of kinds needs (their closure over $ref), written as OpenAPI v3 refs. */
function schemasFor(types: ResourceType[]): Record<string, Obj> {
  const definitions = builtinDefinitions();
  const out: Record<string, Obj> = {};
  const visit = (name: string) => {
    if (out[name] || !definitions[name]) return;
    out[name] = {};
    out[name] = toV3(definitions[name], visit);
  };
  for (const r of types) {
    const name = builtinDefinitionName(r.group, r.version, r.kind);
    if (name) visit(name);
    else if (r.schema) {
      // A CRD's schema, published under its reversed-group name as the API server does.
      const crdName = `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
      const withMeta = { ...r.schema, properties: { ...(r.schema.properties ?? {}), metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } } };
      out[crdName] = { ...toV3(withMeta, visit), 'x-kubernetes-group-version-kind': [{ group: r.group, version: r.version, kind: r.kind }] };
    }
  }
  return out;
}

/** v2 `#/definitions/X` refs become v3 `#/components/schemas/X`; a ref with siblings is wrapped in allOf, as the server writes it. */
function toV3(node: unknown, visit: (name: string) => void): any {
  if (Array.isArray(node)) return node.map((n) => toV3(n, visit));
  if (!node || typeof node !== 'object') return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node as Obj)) if (k !== '$ref') out[k] = toV3(v, visit);
  const ref = (node as Obj).$ref as string | undefined;
  if (!ref) return out;
  const name = ref.replace('#/definitions/', '');
  visit(name);
  const v3 = { $ref: `#/components/schemas/${name}` };
  return Object.keys(out).length ? { allOf: [v3], ...out } : v3;
}

/** OpenAPI v2 as JSON: the definitions of every built-in kind. */
export function openApiV2Json(): object {
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths: {}, definitions: builtinDefinitions() };
}
