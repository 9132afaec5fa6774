import { describe, expect, it } from 'vitest';
import type { ResourceType } from './resources.js';
import { Store } from './store.js';

const configmaps = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true } as unknown as ResourceType;

describe('Store.list', () => {
  it("lists sorted by namespace/name, etcd's key order, whatever the order of writes, and hands out copies", () => {
    const store = new Store();
    for (const [namespace, name] of [['b', 'x'], ['a', 'ab'], ['a', 'a0'], ['a', 'a.b'], ['a', 'a-b'], ['a-z', 'c']]) {
      store.put(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name } }, 'ADDED');
    }
    expect(store.list(configmaps).map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['a-z/c', 'a/a-b', 'a/a.b', 'a/a0', 'a/ab', 'b/x']);
    expect(store.list(configmaps, 'a').map((o) => o.metadata.name)).toEqual(['a-b', 'a.b', 'a0', 'ab']);
    store.list(configmaps, 'b')[0]!.metadata.name = 'changed';
    expect(store.get(configmaps, 'b', 'x')?.metadata.name).toBe('x');
  });
});
