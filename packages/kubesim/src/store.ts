// In-memory objects with one global resourceVersion, an event history for watches, and the
// watchers to notify. Objects are plain JSON, cloned on the way in and out.
import type { ResourceType } from './resources.js';

export type Obj = Record<string, any>;
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: EventType;
  resource: string;
  object: Obj;
}

export interface Watcher {
  resource: string;
  namespace?: string;
  matches(obj: Obj): boolean;
  send(type: string, obj: Obj): void;
}

export const resourceKey = (r: ResourceType) => `${r.group}/${r.plural}`;
const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
export const clone = <T>(o: T): T => structuredClone(o);

export class Store {
  private rv = 1000;
  /** By resource (`group/plural`), then `namespace/name`: a list reads its own resource only. */
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly history: StoredEvent[] = [];
  /** Events older than this resourceVersion are gone: watches from before it get 410 Expired. */
  private compactedBefore = 0;
  readonly watchers = new Set<Watcher>();

  constructor(private readonly maxHistory = 200_000) {}

  get currentRv(): number {
    return this.rv;
  }

  get oldestRv(): number {
    return this.compactedBefore;
  }

  get(r: ResourceType, namespace: string | undefined, name: string): Obj | undefined {
    const o = this.objects.get(resourceKey(r))?.get(objectKey(namespace, name));
    return o && clone(o);
  }

  list(r: ResourceType, namespace?: string): Obj[] {
    const objects = this.objects.get(resourceKey(r));
    if (!objects) return [];
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const keys: string[] = [];
    for (const key of objects.keys()) if (key.startsWith(prefix)) keys.push(key);
    // etcd's order: the keys' bytes (names are ASCII), as the apiserver lists; not the locale's.
    keys.sort();
    return keys.map((key) => clone(objects.get(key)!));
  }

  /** Writes (creates or replaces) an object with a new resourceVersion and notifies watchers. */
  put(r: ResourceType, obj: Obj, type: 'ADDED' | 'MODIFIED'): Obj {
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    const resource = resourceKey(r);
    let objects = this.objects.get(resource);
    if (!objects) this.objects.set(resource, (objects = new Map()));
    objects.set(objectKey(stored.metadata.namespace, stored.metadata.name), stored);
    this.record(r, type, stored);
    return clone(stored);
  }

  remove(r: ResourceType, obj: Obj): Obj {
    this.objects.get(resourceKey(r))?.delete(objectKey(obj.metadata.namespace, obj.metadata.name));
    const last = clone(obj);
    last.metadata.resourceVersion = String(++this.rv);
    this.record(r, 'DELETED', last);
    return clone(last);
  }

  /** Every object of every kind, for the garbage collector and namespace deletion. */
  entries(): { resource: string; object: Obj }[] {
    return [...this.objects].flatMap(([resource, objects]) => [...objects.values()].map((object) => ({ resource, object: clone(object) })));
  }

  /** Events after `rv` for a resource, or null when that history is gone (410). */
  since(resource: string, rv: number): StoredEvent[] | null {
    if (rv < this.compactedBefore) return null;
    return this.history.filter((e) => e.rv > rv && e.resource === resource);
  }

  /** Forgets the history (fault injection and tests of the 410 path). */
  compact(): void {
    this.history.length = 0;
    this.compactedBefore = this.rv;
  }

  private record(r: ResourceType, type: EventType, object: Obj): void {
    const event = { rv: Number(object.metadata.resourceVersion), type, resource: resourceKey(r), object };
    this.history.push(event);
    if (this.history.length > this.maxHistory) {
      const dropped = this.history.splice(0, this.history.length - this.maxHistory);
      this.compactedBefore = dropped.at(-1)!.rv;
    }
    for (const w of this.watchers) {
      if (w.resource !== event.resource) continue;
      if (w.namespace !== undefined && object.metadata.namespace !== w.namespace) continue;
      if (w.matches(object)) w.send(type, clone(object));
    }
  }
}
