// Field paths as server-side apply sees them (sigs.k8s.io/structured-merge-diff): a path is a list
// of path elements written exactly as FieldsV1 keys: `f:<field>` (no escaping: `f:app.kubernetes.io/name`
// is one field), `k:{"port":80,"protocol":"TCP"}` (an associative-list item, key fields sorted), and
// `v:"value"` (a set member). Which lists are associative, sets or atomic comes from the schema.
import { childType, isObject, itemKey, itemType, setOwn, UNTYPED, type TypeNode } from './schema.js';
import type { Obj } from './store.js';

export type Path = string[];
/** A path as a Set member. */
export const pathKey = (p: Path) => JSON.stringify(p);
export const keyPath = (k: string) => JSON.parse(k) as Path;

/** The path element of a list item: `k:` for associative lists, `v:` for sets, undefined for atomic. */
export function itemElement(list: TypeNode, item: unknown): string | undefined {
  if (list.kind !== 'list') return undefined;
  if (list.list.type === 'set') return `v:${JSON.stringify(item)}`;
  if (list.list.type !== 'map') return undefined;
  const key = itemKey(list, item);
  return key ? `k:${JSON.stringify(key)}` : undefined;
}

/**
 * The field set of a value (SMD ToFieldSet): scalars and atomic lists and maps are leaves; list
 * items are members with their children; a map key is a member when it is not a declared struct
 * field or its value is null or {}. `unknown` collects fields the schema does not declare;
 * `markNodes` also makes every non-empty map and struct a member, as an Update's compare records
 * what it added.
 */
export function fieldSet(value: unknown, type: TypeNode, options: { unknown?: string[]; markNodes?: boolean } = {}): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, t: TypeNode, path: Path) => {
    if (t.kind === 'list' || (t.kind === 'untyped' && Array.isArray(v))) {
      if (t.kind !== 'list' || t.list.type === 'atomic' || !Array.isArray(v)) return void out.add(pathKey(path));
      const elem = itemType(t);
      for (const item of v) {
        const pe = itemElement(t, item);
        if (!pe) continue;
        walk(item, elem, [...path, pe]);
        out.add(pathKey([...path, pe]));
      }
      return;
    }
    if ((t.kind === 'struct' || t.kind === 'map' || t.kind === 'untyped') && isObject(v)) {
      if ((t.kind === 'struct' || t.kind === 'map') && t.atomic) return void out.add(pathKey(path));
      if (options.markNodes && Object.keys(v).length && !alwaysPresent(path)) out.add(pathKey(path));
      for (const [k, child] of Object.entries(v)) {
        const ct = childType(t, k);
        const p = [...path, `f:${k}`];
        if (!ct) {
          options.unknown?.push(displayPath(p));
          continue;
        }
        walk(child, ct, p);
        if (child === null || (isObject(child) && Object.keys(child).length === 0) || !(t.kind === 'struct' && Object.hasOwn(t.fields, k))) out.add(pathKey(p));
      }
      return;
    }
    out.add(pathKey(path));
  };
  walk(value, type, []);
  return out;
}

/**
 * Go structs that are never nil (the object's spec, status and metadata, a pod template): an
 * Update's compare finds them on both sides, so they never appear as members of their own.
 */
function alwaysPresent(path: Path): boolean {
  if (path.length <= 1) return true;
  const tail = path.slice(-2).join(' ');
  return path.at(-1) === 'f:template' || tail === 'f:template f:metadata' || tail === 'f:template f:spec';
}

/** A path as the API server prints it: `.spec.template.spec.containers[name="app"].image`. */
export function displayPath(path: Path): string {
  return path
    .map((pe) => {
      if (pe.startsWith('f:')) return `.${pe.slice(2)}`;
      if (pe.startsWith('v:')) return `[=${pe.slice(2)}]`;
      const key = JSON.parse(pe.slice(2)) as Obj;
      return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}

/** Finds the child of `node` at one path element, with its type. */
function step(node: unknown, t: TypeNode, pe: string): { value: unknown; type: TypeNode; index?: number; parent: unknown } | undefined {
  if (pe.startsWith('f:')) {
    const field = pe.slice(2);
    if (!isObject(node) || !(field in node)) return undefined;
    return { value: node[field], type: childType(t, field) ?? UNTYPED, parent: node };
  }
  if (!Array.isArray(node)) return undefined;
  const index = node.findIndex((item) => itemElement(t, item) === pe);
  return index < 0 ? undefined : { value: node[index], type: itemType(t), index, parent: node };
}

export function getAt(obj: unknown, path: Path, type: TypeNode): unknown {
  let node = obj;
  let t = type;
  for (const pe of path) {
    const next = step(node, t, pe);
    if (!next) return undefined;
    [node, t] = [next.value, next.type];
  }
  return node;
}

/** Removes the field, list item or set member at a path; empty parents stay, as the apiserver leaves them. */
export function deleteAt(obj: Obj, path: Path, type: TypeNode): void {
  let node: unknown = obj;
  let t = type;
  for (const [i, pe] of path.entries()) {
    const next = step(node, t, pe);
    if (!next) return;
    if (i === path.length - 1) {
      if (next.index !== undefined) (next.parent as unknown[]).splice(next.index, 1);
      else delete (next.parent as Obj)[pe.slice(2)];
      return;
    }
    [node, t] = [next.value, next.type];
  }
}

/** FieldsV1 trie in the API server's byte order: `.` first, then f:, k:, v: entries (1.2 of the research notes). */
export function toFieldsV1(paths: Iterable<string>): Obj {
  const root: Obj = {};
  for (const key of paths) {
    let node = root;
    const path = keyPath(key);
    path.forEach((pe) => {
      node[pe] ??= {};
      node = node[pe];
    });
  }
  return ordered(root, new Set([...paths]));
}

function ordered(trie: Obj, members: Set<string>, prefix: Path = []): Obj {
  const rank = (k: string) => (k === '.' ? 0 : k.startsWith('f:') ? 1 : k.startsWith('k:') ? 2 : k.startsWith('v:') ? 3 : 4);
  const keys = Object.keys(trie).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Obj = {};
  if (keys.some((k) => k !== '.') && members.has(pathKey(prefix)) && prefix.length) out['.'] = {};
  for (const k of keys) if (k !== '.') out[k] = ordered(trie[k], members, [...prefix, k]);
  return out;
}

export function fromFieldsV1(trie: Obj, prefix: Path = [], out = new Set<string>()): Set<string> {
  for (const [pe, child] of Object.entries(trie ?? {})) {
    if (pe === '.') {
      out.add(pathKey(prefix));
      continue;
    }
    const path = [...prefix, pe];
    if (isObject(child) && Object.keys(child).length > 0) fromFieldsV1(child, path, out);
    else out.add(pathKey(path));
  }
  return out;
}

/** Apply's merge: struct and granular maps merge, associative lists by key, sets by member, the rest replaces. */
export function mergeTyped(live: unknown, patch: unknown, type: TypeNode): unknown {
  if (isObject(patch) && !((type.kind === 'struct' || type.kind === 'map') && type.atomic)) {
    const base: Obj = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete base[k];
      else setOwn(base, k, mergeTyped(base[k], v, childType(type, k) ?? UNTYPED));
    }
    return base;
  }
  if (Array.isArray(patch) && Array.isArray(live) && type.kind === 'list' && type.list.type !== 'atomic') {
    const out = [...live];
    const elem = itemType(type);
    for (const item of patch) {
      const pe = itemElement(type, item);
      const i = pe === undefined ? -1 : out.findIndex((l) => itemElement(type, l) === pe);
      if (i >= 0) out[i] = type.list.type === 'set' ? item : mergeTyped(out[i], item, elem);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
