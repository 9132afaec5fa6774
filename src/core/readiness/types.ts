// The verdict every readiness rule returns (SPEC section 8), and the loose object shape the
// rules read: whatever the API server sent, with every field optional.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export type ReadinessState = 'progressing' | 'ready' | 'failed';

export interface Readiness {
  state: ReadinessState;
  reason: string;
  message: string;
  progress: { ready: number; desired: number };
}

/** What a rule may look at besides the object: the pods of its current revision and their events. */
export interface Related {
  pods?: Obj[];
  events?: Obj[];
}

export const verdict = (state: ReadinessState, reason: string, message: string, ready = 0, desired = 0): Readiness => ({
  state,
  reason,
  message,
  progress: { ready, desired },
});

export const condition = (o: Obj, type: string): Obj | undefined => (o.status?.conditions as Obj[] | undefined)?.find((c) => c.type === type);

export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The object's generation has been seen by its controller. */
export const observed = (o: Obj): boolean => num(o.metadata?.generation) <= num(o.status?.observedGeneration);
