// Server-side apply and field ownership (managedFields), as sigs.k8s.io/structured-merge-diff
// behaves for the cases that matter: Apply sets owned per manager, conflicts with other owners'
// different values (409 unless force), removal of fields a manager stops applying, and Update
// operations taking ownership of the fields they change.
import { deepEqual, deleteAt, displayPath, fieldSet, fromFieldsV1, getAt, keyPath, mergeTyped, toFieldsV1 } from './fields.js';
import type { TypeNode } from './schema.js';
import { ApiError } from './status.js';
import type { Obj } from './store.js';

interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  paths: Set<string>;
  changed: boolean;
}

// Server-owned or identity fields never owned by a manager (fieldmanager's stripmeta).
const UNTRACKED = new Set(['f:apiVersion', 'f:kind']);
const UNTRACKED_META = new Set(['f:name', 'f:namespace', 'f:uid', 'f:resourceVersion', 'f:generation', 'f:creationTimestamp', 'f:managedFields', 'f:deletionTimestamp', 'f:deletionGracePeriodSeconds', 'f:selfLink']);

function tracked(obj: Obj | undefined, type: TypeNode, subresource?: string, options: { unknown?: string[]; markNodes?: boolean } = {}): Set<string> {
  const out = new Set<string>();
  for (const key of fieldSet(obj ?? {}, type, options)) {
    const p = keyPath(key);
    if (UNTRACKED.has(p[0]!) || (p[0] === 'f:metadata' && (p.length === 1 || UNTRACKED_META.has(p[1]!)))) continue;
    const isStatus = p[0] === 'f:status';
    if (subresource === 'status' ? isStatus : !isStatus) out.add(key);
  }
  return out;
}

function readEntries(obj: Obj | undefined): Entry[] {
  return ((obj?.metadata?.managedFields ?? []) as Obj[]).map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    subresource: e.subresource,
    paths: fromFieldsV1(e.fieldsV1 ?? {}),
    changed: false,
  }));
}

function writeEntries(obj: Obj, entries: Entry[]): void {
  const kept = entries.filter((e) => e.paths.size > 0);
  obj.metadata ??= {};
  if (kept.length === 0) {
    delete obj.metadata.managedFields;
    return;
  }
  obj.metadata.managedFields = kept.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time ? { time: e.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1([...e.paths].sort()),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

function describe(e: Entry): string {
  if (e.operation === 'Apply') return `"${e.manager}"`;
  return `"${e.manager}" using ${e.apiVersion}${e.time ? ` at ${e.time}` : ''}${e.subresource ? ` with subresource "${e.subresource}"` : ''}`;
}

function conflictError(conflicts: { entry: Entry; path: string }[]): ApiError {
  const byManager = new Map<string, { entry: Entry; paths: string[] }>();
  for (const c of conflicts) {
    const key = describe(c.entry);
    const group = byManager.get(key) ?? { entry: c.entry, paths: [] };
    group.paths.push(c.path);
    byManager.set(key, group);
  }
  const groups = [...byManager].sort(([a], [b]) => a.localeCompare(b));
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: conflict with ${describe(conflicts[0]!.entry)}: ${displayPath(keyPath(conflicts[0]!.path))}`
      : `Apply failed with ${conflicts.length} conflicts: ${groups.map(([who, g]) => `conflicts with ${who}:\n${g.paths.map((p) => `- ${displayPath(keyPath(p))}`).join('\n')}`).join('\n')}`;
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describe(c.entry)}`, field: displayPath(keyPath(c.path)) })),
  });
}

/** The object after `manager` applies `config` to `live` (undefined: create). Throws 409 on conflicts. */
export function serverSideApply(live: Obj | undefined, config: Obj, type: TypeNode, options: { manager: string; force: boolean; apiVersion: string; now: string; subresource?: string; identity: string }): Obj {
  const entries = readEntries(live);
  const sub = options.subresource;
  const sameScope = (e: Entry) => (e.subresource ?? '') === (sub ?? '');
  let mine = entries.find((e) => e.manager === options.manager && e.operation === 'Apply' && sameScope(e));
  const unknown: string[] = [];
  const applied = tracked(config, type, sub, { unknown });
  // SMD's typed conversion: a plain error (500), whatever fieldValidation says.
  if (unknown.length) {
    const errors = unknown.map((p) => `${p}: field not declared in schema`);
    throw new ApiError(500, '', `failed to create typed patch object (${options.identity}): ${errors.length === 1 ? errors[0] : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n')}`);
  }
  const conflicts: { entry: Entry; path: string }[] = [];
  // Every other entry can conflict: a scale subresource's Update owns the parent's .spec.replicas.
  for (const other of entries) {
    if (other === mine) continue;
    for (const p of applied) {
      // A list item's own entry is about membership, not a value: only its fields can conflict.
      const path = keyPath(p);
      if (!path.at(-1)!.startsWith('f:')) continue;
      if (other.paths.has(p) && !deepEqual(getAt(live, path, type), getAt(config, path, type))) conflicts.push({ entry: other, path: p });
    }
  }
  if (conflicts.length && !options.force) throw conflictError(conflicts);
  for (const c of conflicts) {
    c.entry.paths.delete(c.path);
    c.entry.changed = true;
  }
  let obj: Obj = structuredClone(live ?? {});
  // Fields this manager applied before and no longer does: gone, unless someone else owns them.
  const dropped = mine ? [...mine.paths].filter((p) => !applied.has(p)) : [];
  for (const p of dropped.sort((a, b) => keyPath(b).length - keyPath(a).length)) {
    if (!entries.some((e) => e !== mine && e.paths.has(p))) deleteAt(obj, keyPath(p), type);
  }
  const { metadata, ...rest } = config;
  const { managedFields: _m, resourceVersion: _rv, ...meta } = (metadata ?? {}) as Obj;
  obj = mergeTyped(obj, { ...rest, metadata: meta }, type) as Obj;
  if (!mine) {
    mine = { manager: options.manager, operation: 'Apply', apiVersion: options.apiVersion, subresource: sub, paths: new Set(), changed: true };
    entries.push(mine);
  }
  if (!setEquals(mine.paths, applied) || mine.apiVersion !== options.apiVersion) mine.changed = true;
  mine.paths = applied;
  mine.apiVersion = options.apiVersion;
  for (const e of entries) if (e.changed) e.time = options.now;
  writeEntries(obj, entries);
  return obj;
}

/** An Update (create, PUT, non-apply patch): the manager takes the fields whose values it changed. */
export function recordUpdate(old: Obj | undefined, updated: Obj, type: TypeNode, options: { manager: string; apiVersion: string; now: string; subresource?: string }): Obj {
  const entries = readEntries(old);
  const sub = options.subresource;
  // SMD's compare: maps and structs that appear are members themselves (`.`).
  const before = tracked(old, type, sub, { markNodes: true });
  const after = tracked(updated, type, sub, { markNodes: true });
  const changed = [...after].filter((p) => !before.has(p) || (isLeafIn(after, p) && !deepEqual(getAt(old, keyPath(p), type), getAt(updated, keyPath(p), type))));
  const removed = [...before].filter((p) => !after.has(p));
  // What this write changed moves to it, from whichever entry owned it (a scale takes .spec.replicas).
  for (const e of entries) {
    for (const p of [...changed, ...removed]) if (e.paths.delete(p)) e.changed = true;
  }
  if (changed.length) {
    let mine = entries.find((e) => e.manager === options.manager && e.operation === 'Update' && (e.subresource ?? '') === (sub ?? ''));
    if (!mine) {
      mine = { manager: options.manager, operation: 'Update', apiVersion: options.apiVersion, subresource: sub, paths: new Set(), changed: true };
      entries.push(mine);
    }
    changed.forEach((p) => mine!.paths.add(p));
    mine.changed = true;
    mine.apiVersion = options.apiVersion;
  }
  for (const e of entries) if (e.changed) e.time = options.now;
  const out = structuredClone(updated);
  writeEntries(out, entries);
  return out;
}

/** Whether no other member lies below `p` (a map or item whose children are listed changes through them). */
function isLeafIn(set: Set<string>, p: string): boolean {
  const prefix = p.slice(0, -1);
  for (const q of set) if (q.startsWith(`${prefix},`)) return false;
  return true;
}

function setEquals(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
