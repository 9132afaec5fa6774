// Images refer to each other (FROM, COPY --from, dependencies:). Digests and builds follow the
// graph: dependencies first, independent images in any order; a cycle is an input error.

export type ImageGraph = ReadonlyMap<string, readonly string[]>;

export class CycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`image dependency cycle: ${cycle.join(' -> ')}`);
  }
}

/** Topological order (dependencies before dependents), ties broken by name for determinism. */
export function topologicalOrder(graph: ImageGraph): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new CycleError([...stack.slice(stack.indexOf(name)), name]);
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of [...(graph.get(name) ?? [])].sort()) visit(dep);
    stack.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of [...graph.keys()].sort()) visit(name);
  return order;
}
