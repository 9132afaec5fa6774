// Discovery documents in the shapes kubectl and client-node expect (apiserver discovery/*.go).
import { apiVersionOf, VERBS, type ResourceRegistry } from './resources.js';

export const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-kubesim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
}

export function apiGroupList(registry: ResourceRegistry): object {
  const groups = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions()) {
    if (group === '') continue;
    groups.set(group, [...(groups.get(group) ?? []), version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => apiGroup(name, versions)),
  };
}

export function apiGroup(name: string, versions: string[]): object {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: list, preferredVersion: list[0] };
}

/** Main resources before their subresources: client-node takes the first entry of a kind. */
export function resourceList(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.all().filter((r) => r.group === group && r.version === version);
  if (types.length === 0) return undefined;
  const resources: object[] = [];
  for (const r of types) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs ?? VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
  }
  for (const r of types) {
    for (const sub of r.subresources) {
      const kind = sub === 'scale' ? 'Scale' : sub === 'log' ? 'Pod' : r.kind;
      const verbs = sub === 'log' ? ['get'] : sub === 'finalize' ? ['update'] : sub === 'exec' ? ['create', 'get'] : ['get', 'patch', 'update'];
      resources.push({ name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind, verbs, ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}) });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(types[0]!), resources };
}
