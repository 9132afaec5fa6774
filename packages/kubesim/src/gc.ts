// The garbage collector, run after every change until nothing moves: dependents of deleted owners
// go (background; pods gracefully), foreground deletions wait for their dependents, custom
// resources leave with their CRD. Terminating namespaces are the namespace controller's.
import type { ResourceRegistry, ResourceType } from './resources.js';
import type { Obj, Store } from './store.js';

export class GarbageCollector {
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    /** A pod's deletion, graceful as through the API. */
    private readonly deletePod: (pod: Obj) => void,
  ) {}

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (let i = 0; i < 100 && this.pass(); i++);
    });
  }

  private typeOf(resource: string): ResourceType | undefined {
    return this.registry.all().find((r) => `${r.group}/${r.plural}` === resource);
  }

  /** One sweep; true when it changed something. */
  private pass(): boolean {
    const entries = this.store.entries();
    const uids = new Set(entries.map((e) => e.object.metadata.uid as string));
    const crdType = this.registry.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    this.registry.syncCustomResources(this.store.list(crdType));
    let changed = false;
    const remove = (resource: string, object: Obj) => {
      const r = this.typeOf(resource);
      if (!r) return;
      if (r.kind === 'Pod') {
        if (!object.metadata.deletionTimestamp) {
          this.deletePod(object);
          changed = true;
        }
        return;
      }
      if ((object.metadata.finalizers ?? []).length) {
        if (!object.metadata.deletionTimestamp) {
          object.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
          this.store.put(r, object, 'MODIFIED');
          changed = true;
        }
        return;
      }
      this.store.remove(r, object);
      changed = true;
    };
    for (const { resource, object } of entries) {
      const meta = object.metadata;
      const r = this.typeOf(resource);
      if (!r) {
        // A custom resource whose CRD is gone.
        this.store.remove({ group: resource.split('/')[0]!, plural: resource.split('/')[1]! } as ResourceType, object);
        changed = true;
        continue;
      }
      const owners = (meta.ownerReferences ?? []) as Obj[];
      if (owners.length && owners.every((o) => !uids.has(o.uid))) {
        remove(resource, object);
        continue;
      }
      if (meta.deletionTimestamp && (meta.finalizers ?? []).includes('foregroundDeletion')) {
        const dependents = entries.filter((e) => ((e.object.metadata.ownerReferences ?? []) as Obj[]).some((o) => o.uid === meta.uid));
        if (dependents.length) {
          for (const d of dependents) if (!d.object.metadata.deletionTimestamp) remove(d.resource, d.object);
        } else {
          meta.finalizers = meta.finalizers.filter((f: string) => f !== 'foregroundDeletion');
          if (meta.finalizers.length) this.store.put(r, object, 'MODIFIED');
          else this.store.remove(r, object);
          changed = true;
        }
      }
    }
    return changed;
  }
}
