// Container logs (pods/log): the kubelet (or a test through the admin endpoint) appends lines;
// `follow` streams new ones until the client goes or the pod is deleted.
import type { ServerResponse } from 'node:http';

const key = (ns: string, pod: string, container: string, previous: boolean) => `${ns}/${pod}/${container}/${previous ? 'previous' : 'current'}`;

export class LogStore {
  private readonly lines = new Map<string, string[]>();
  private readonly followers = new Map<string, Set<ServerResponse>>();

  append(ns: string, pod: string, container: string, lines: string[], previous = false): void {
    const k = key(ns, pod, container, previous);
    const list = this.lines.get(k) ?? [];
    list.push(...lines);
    this.lines.set(k, list);
    for (const res of this.followers.get(k) ?? []) res.write(lines.map((l) => `${l}\n`).join(''));
  }

  /** The current container instance restarted: its lines become `previous`. */
  rotate(ns: string, pod: string, container: string): void {
    this.lines.set(key(ns, pod, container, true), this.lines.get(key(ns, pod, container, false)) ?? []);
    this.lines.set(key(ns, pod, container, false), []);
  }

  read(ns: string, pod: string, container: string, options: { previous: boolean; tailLines?: number }): string[] | undefined {
    const list = this.lines.get(key(ns, pod, container, options.previous));
    if (!list) return undefined;
    return options.tailLines !== undefined ? list.slice(Math.max(0, list.length - options.tailLines)) : [...list];
  }

  follow(ns: string, pod: string, container: string, res: ServerResponse): void {
    const k = key(ns, pod, container, false);
    const set = this.followers.get(k) ?? new Set();
    set.add(res);
    this.followers.set(k, set);
    res.on('close', () => set.delete(res));
  }

  /** Ends followers and drops the lines of a deleted pod. */
  forget(ns: string, pod: string): void {
    for (const [k, set] of this.followers) if (k.startsWith(`${ns}/${pod}/`)) for (const res of set) res.end();
    for (const k of [...this.lines.keys()]) if (k.startsWith(`${ns}/${pod}/`)) this.lines.delete(k);
  }
}
