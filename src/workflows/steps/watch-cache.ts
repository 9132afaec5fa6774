// A list-then-watch cache of one kind in one namespace (what client-go calls an informer): it
// survives servers that end watches, dropped connections and `410 Expired` by listing again.
import { WatchExpiredError, type Cluster, type KubeObject, type ListOptions } from '../../ports/index.js';

export class WatchCache {
  readonly objects = new Map<string, KubeObject>();
  /** Set when the cache gave up (the API kept failing); the tracker reports it. */
  error?: unknown;
  private synced = false;

  constructor(
    private readonly cluster: Cluster,
    readonly apiVersion: string,
    readonly kind: string,
    readonly namespace: string | undefined,
    private readonly options: ListOptions,
    private readonly onChange: () => void,
  ) {}

  get ready(): boolean {
    return this.synced;
  }

  /** Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let resourceVersion: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          const list = await this.cluster.list(this.apiVersion, this.kind, this.namespace, this.options, signal);
          this.objects.clear();
          for (const item of list.items) this.objects.set(key(item), item);
          resourceVersion = list.resourceVersion;
          this.synced = true;
          this.onChange();
        }
        for await (const event of this.cluster.watch(this.apiVersion, this.kind, this.namespace, { ...this.options, resourceVersion }, signal)) {
          failures = 0;
          resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
          if (event.type === 'BOOKMARK') continue;
          if (event.type === 'DELETED') this.objects.delete(key(event.object));
          else this.objects.set(key(event.object), event.object);
          this.onChange();
        }
        // The server ended the watch (a timeout, a restart): watch again from where we were.
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof WatchExpiredError) {
          resourceVersion = undefined;
          continue;
        }
        failures++;
        if (failures > 8) {
          this.error = err;
          this.onChange();
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** failures, 4000)));
        resourceVersion = undefined;
      }
    }
  }
}

export const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
