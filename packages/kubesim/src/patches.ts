// Non-apply patches: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge patch.
import { deepEqual } from './fields.js';
import { childType, isObject, itemType, setOwn, UNTYPED, type TypeNode } from './schema.js';
import { ApiError, badRequest } from './status.js';
import type { Obj } from './store.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Obj = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, mergePatch(out[k], v));
  }
  return out;
}

/**
 * Strategic merge: lists whose schema says `x-kubernetes-patch-strategy: merge` merge by their
 * `x-kubernetes-patch-merge-key` (primitive lists by value); `$patch: delete|replace` directives;
 * null deletes; everything else replaces.
 */
export function strategicMergePatch(target: unknown, patch: unknown, type: TypeNode): unknown {
  if (isObject(patch)) {
    if (patch.$patch === 'replace') {
      const { $patch: _, ...rest } = patch;
      return rest;
    }
    if (patch.$patch === 'delete') return undefined;
    const out: Obj = isObject(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith('$')) continue;
      if (v === null) delete out[k];
      else {
        const merged = strategicMergePatch(out[k], v, childType(type, k) ?? UNTYPED);
        if (merged === undefined) delete out[k];
        else setOwn(out, k, merged);
      }
    }
    return out;
  }
  const merge = type.kind === 'list' && String(type.patch.strategy ?? '').split(',').includes('merge');
  if (Array.isArray(patch) && Array.isArray(target) && merge) {
    const key = type.patch.mergeKey;
    if (!key) return [...target, ...patch.filter((p) => !target.some((t) => deepEqual(t, p)))];
    let out = [...target];
    for (const item of patch as Obj[]) {
      const i = out.findIndex((l) => isObject(l) && l[key] === item[key]);
      if (item.$patch === 'delete') {
        if (i >= 0) out = out.filter((_, n) => n !== i);
      } else if (i >= 0) out[i] = strategicMergePatch(out[i], item, itemType(type)) as Obj;
      else out.push(item);
    }
    return out;
  }
  return patch;
}

export function jsonPatch(target: Obj, operations: unknown): Obj {
  if (!Array.isArray(operations)) throw badRequest('json patch must be an array of operations');
  let doc: unknown = structuredClone(target);
  for (const op of operations as Obj[]) {
    const path = parsePointer(String(op.path ?? ''));
    switch (op.op) {
      case 'add':
        doc = setPointer(doc, path, op.value, 'add');
        break;
      case 'replace':
        getPointer(doc, path, op.path);
        doc = setPointer(doc, path, op.value, 'replace');
        break;
      case 'remove':
        getPointer(doc, path, op.path);
        doc = removePointer(doc, path);
        break;
      case 'move': {
        const from = parsePointer(String(op.from));
        const value = getPointer(doc, from, op.from);
        doc = setPointer(removePointer(doc, from), path, value, 'add');
        break;
      }
      case 'copy':
        doc = setPointer(doc, path, structuredClone(getPointer(doc, parsePointer(String(op.from)), op.from)), 'add');
        break;
      case 'test':
        if (JSON.stringify(getPointer(doc, path, op.path)) !== JSON.stringify(op.value)) {
          throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value at ${op.path} failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc as Obj;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getPointer(doc: unknown, path: string[], text: unknown): unknown {
  let node = doc;
  for (const p of path) {
    if (Array.isArray(node)) node = node[Number(p)];
    else if (isObject(node)) node = node[p];
    else node = undefined;
    if (node === undefined) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: doc is missing path: "${String(text)}"`);
  }
  return node;
}

function setPointer(doc: unknown, path: string[], value: unknown, mode: 'add' | 'replace'): unknown {
  if (path.length === 0) return value;
  const parent = getPointer(doc, path.slice(0, -1), `/${path.slice(0, -1).join('/')}`);
  const last = path.at(-1)!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) parent[last] = value;
  return doc;
}

function removePointer(doc: unknown, path: string[]): unknown {
  const parent = getPointer(doc, path.slice(0, -1), `/${path.slice(0, -1).join('/')}`);
  const last = path.at(-1)!;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
  return doc;
}
