// Field paths as server-side apply sees them: `.spec.replicas`,
// `.spec.template.spec.containers[name="app"].image`; associative lists keyed by their merge key,
// other lists atomic. Converts to and from managedFields' FieldsV1 tries.
import type { Obj } from './store.js';

const MERGE_KEYS: Record<string, string> = {
  containers: 'name', initContainers: 'name', ephemeralContainers: 'name', env: 'name', volumes: 'name',
  volumeMounts: 'mountPath', volumeDevices: 'devicePath', imagePullSecrets: 'name', conditions: 'type',
  ownerReferences: 'uid', hostAliases: 'ip', topologySpreadConstraints: 'topologyKey', resourceClaims: 'name',
};

export const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key field of an associative list, or undefined for an atomic list. */
export function listKey(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    if (items.every((i) => isMap(i) && 'containerPort' in i)) return 'containerPort';
    if (items.every((i) => isMap(i) && 'port' in i)) return 'port';
    return undefined;
  }
  const key = MERGE_KEYS[field];
  return key && items.every((i) => isMap(i) && key in i) ? key : undefined;
}

const itemSegment = (key: string, value: unknown) => `[${key}=${JSON.stringify(value)}]`;
/** A field segment; `.`, `[` and `\\` in a key are escaped, so `app.kubernetes.io/name` stays one field. */
export const fieldSegment = (field: string) => `.${field.replace(/[\\.[]/g, '\\$&')}`;

/** Leaf paths of a value (and a path per associative-list item), as SSA tracks ownership. */
export function fieldPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (!isMap(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const path = `${prefix}${fieldSegment(k)}`;
    if (isMap(v) && Object.keys(v).length > 0) fieldPaths(v, path, out);
    else if (Array.isArray(v) && v.length > 0 && listKey(k, v)) {
      const key = listKey(k, v)!;
      for (const item of v as Obj[]) {
        const itemPath = `${path}${itemSegment(key, item[key])}`;
        out.add(itemPath);
        fieldPaths(item, itemPath, out);
      }
    } else out.add(path);
  }
  return out;
}

type Segment = { field: string } | { key: string; value: unknown };

export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  const re = /\.((?:\\.|[^.[\\])+)|\[([^=\]]+)=((?:"(?:[^"\\]|\\.)*")|[^\]]+)\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) segments.push({ field: m[1].replace(/\\(.)/g, '$1') });
    else segments.push({ key: m[2]!, value: JSON.parse(m[3]!) });
  }
  return segments;
}

export function getAt(obj: unknown, path: string): unknown {
  let node: unknown = obj;
  for (const s of parsePath(path)) {
    if ('field' in s) node = isMap(node) ? node[s.field] : undefined;
    else node = Array.isArray(node) ? node.find((i) => isMap(i) && i[s.key] === s.value) : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Removes the field (or list item) at a path; empty parents stay, as the apiserver leaves them. */
export function deleteAt(obj: Obj, path: string): void {
  const segments = parsePath(path);
  const last = segments.pop();
  if (!last) return;
  const parent = segments.length ? getAt(obj, segments.map(format).join('')) : obj;
  if ('field' in last) {
    if (isMap(parent)) delete parent[last.field];
  } else if (Array.isArray(parent)) {
    const i = parent.findIndex((item) => isMap(item) && item[last.key] === last.value);
    if (i >= 0) parent.splice(i, 1);
  }
}

const format = (s: Segment) => ('field' in s ? fieldSegment(s.field) : itemSegment(s.key, s.value));

/** FieldsV1 trie: `f:<field>`, `k:{"<key>":<value>}` with `".": {}` for list items. */
export function toFieldsV1(paths: Iterable<string>): Obj {
  const root: Obj = {};
  for (const path of paths) {
    let node = root;
    const segments = parsePath(path);
    segments.forEach((s, i) => {
      const name = 'field' in s ? `f:${s.field}` : `k:${JSON.stringify({ [s.key]: s.value })}`;
      node[name] ??= {};
      node = node[name];
      if (i === segments.length - 1 && !('field' in s)) node['.'] = {};
    });
  }
  return root;
}

export function fromFieldsV1(trie: Obj, prefix = '', out = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(trie ?? {})) {
    if (name === '.') {
      out.add(prefix);
      continue;
    }
    let path: string;
    if (name.startsWith('f:')) path = `${prefix}${fieldSegment(name.slice(2))}`;
    else if (name.startsWith('k:')) {
      const [key, value] = Object.entries(JSON.parse(name.slice(2)) as Obj)[0]!;
      path = `${prefix}${itemSegment(key, value)}`;
    } else continue; // v: (sets) are not tracked separately here
    if (isMap(child) && Object.keys(child).length > 0) fromFieldsV1(child, path, out);
    else out.add(path);
  }
  return out;
}

/** Deep merge for apply and strategic merge: maps merge, keyed lists merge by key, the rest replaces. */
export function mergeByKeys(live: unknown, patch: unknown, field = ''): unknown {
  if (isMap(patch)) {
    const base: Obj = isMap(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete base[k];
      else base[k] = mergeByKeys(base[k], v, k);
    }
    return base;
  }
  if (Array.isArray(patch) && Array.isArray(live)) {
    const key = listKey(field, patch);
    if (key && listKey(field, live) === key) {
      const out = [...live];
      for (const item of patch as Obj[]) {
        const i = out.findIndex((l) => isMap(l) && l[key] === item[key]);
        if (i >= 0) out[i] = mergeByKeys(out[i], item, '');
        else out.push(item);
      }
      return out;
    }
  }
  return patch;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
