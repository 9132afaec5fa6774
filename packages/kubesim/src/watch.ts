// Watch streams: chunked JSON lines, starting points by resourceVersion, bookmarks, the
// watch-list mode (sendInitialEvents), 410 Expired, timeouts, and dropping for fault tests.
import type { ServerResponse } from 'node:http';
import { apiVersionOf, type ResourceType } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError } from './status.js';
import { resourceKey, type Obj, type Store, type Watcher } from './store.js';

export class Watches {
  private readonly open = new Set<{ res: ServerResponse; close(): void }>();

  constructor(
    private readonly store: Store,
    private readonly bookmarkSeconds: number,
  ) {}

  get count(): number {
    return this.open.size;
  }

  /** Ends every open watch (the client sees the connection end and re-watches). */
  dropAll(): number {
    const n = this.open.size;
    for (const w of [...this.open]) w.close();
    return n;
  }

  serve(r: ResourceType, namespace: string | undefined, query: URLSearchParams, res: ServerResponse): void {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), r.kind);
    const matches = (o: Obj) => labels(o) && fields(o);
    const rvParam = query.get('resourceVersion');
    const sendInitial = query.get('sendInitialEvents') === 'true';
    if (sendInitial && (query.get('allowWatchBookmarks') !== 'true' || query.get('resourceVersionMatch') !== 'NotOlderThan')) {
      throw new ApiError(422, 'Invalid', 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan and allowWatchBookmarks');
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders(); // a client waits for the headers before it sees any event
    const write = (type: string, object: Obj) => res.write(`${JSON.stringify({ type, object })}\n`);
    const bookmark = (extra: Obj = {}) =>
      write('BOOKMARK', { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(this.store.currentRv), ...extra } });

    let replay: { type: string; object: Obj }[];
    if (sendInitial || !rvParam || rvParam === '0') {
      replay = this.store.list(r, namespace).filter(matches).map((object) => ({ type: 'ADDED', object }));
    } else {
      const events = this.store.since(resourceKey(r), Number(rvParam));
      if (events === null) {
        write('ERROR', new ApiError(410, 'Expired', `too old resource version: ${rvParam} (${this.store.oldestRv})`).body());
        res.end();
        return;
      }
      replay = events.filter((e) => (namespace === undefined || e.object.metadata.namespace === namespace) && matches(e.object));
    }
    for (const e of replay) write(e.type, e.object);
    if (sendInitial) bookmark({ annotations: { 'k8s.io/initial-events-end': 'true' } });

    const watcher: Watcher = { resource: resourceKey(r), namespace, matches, send: write };
    this.store.watchers.add(watcher);
    const timers: NodeJS.Timeout[] = [];
    if (query.get('allowWatchBookmarks') === 'true') timers.push(setInterval(() => bookmark(), this.bookmarkSeconds * 1000));
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    const entry = {
      res,
      close: () => {
        cleanup();
        res.end();
      },
    };
    if (timeout > 0) timers.push(setTimeout(() => entry.close(), timeout * 1000));
    const cleanup = () => {
      this.store.watchers.delete(watcher);
      timers.forEach((t) => clearTimeout(t));
      this.open.delete(entry);
    };
    this.open.add(entry);
    res.on('close', cleanup);
  }
}
