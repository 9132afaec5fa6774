// Runs tasks along a dependency graph: a task starts when its dependencies succeeded, at most
// `parallel` at once. After a failure nothing new starts; running tasks finish.

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown } | { ok: false; skipped: true };

export async function runGraph<T>(
  order: readonly string[],
  dependencies: ReadonlyMap<string, readonly string[]>,
  parallel: number,
  run: (name: string) => Promise<T>,
): Promise<Map<string, Outcome<T>>> {
  const outcomes = new Map<string, Outcome<T>>();
  const running = new Map<string, Promise<void>>();
  let failed = false;
  const pending = [...order];
  const ready = (name: string) => (dependencies.get(name) ?? []).every((d) => outcomes.get(d)?.ok === true || !order.includes(d));
  while (pending.length || running.size) {
    while (!failed && running.size < Math.max(1, parallel)) {
      const index = pending.findIndex(ready);
      if (index < 0) break;
      const [name] = pending.splice(index, 1) as [string];
      running.set(
        name,
        run(name).then(
          (value) => void outcomes.set(name, { ok: true, value }),
          (error: unknown) => {
            failed = true;
            outcomes.set(name, { ok: false, error });
          },
        ).finally(() => running.delete(name)),
      );
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  for (const name of pending) outcomes.set(name, { ok: false, skipped: true });
  return outcomes;
}
