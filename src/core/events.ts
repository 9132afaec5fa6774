// Typed events that workflows emit and renderers (report/) turn into TTY, plain or JSON output.

export type SlipwayEvent =
  | { kind: 'warning'; message: string; where?: string }
  | { kind: 'info'; message: string }
  /** For people, always shown (e.g. the next commands to run). */
  | { kind: 'note'; message: string }
  | { kind: 'step-start'; id: string; message: string }
  | { kind: 'step-done'; id: string; message: string; ok: boolean }
  | { kind: 'image-digest'; name: string; digest: string; ref: string | null; files: number }
  /** Something slipway waits for (a lock, a rollout): shown even when nothing else changes. */
  | { kind: 'waiting'; message: string }
  | { kind: 'applied'; id: string; action: ResourceAction }
  | { kind: 'resource'; id: string; state: 'progressing' | 'ready' | 'failed'; message: string; ready: number; desired: number };

export type ResourceAction = 'created' | 'updated' | 'unchanged' | 'deleted';
