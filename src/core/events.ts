// Typed events that workflows emit and renderers (report/) turn into TTY, plain or JSON output.

export type SlipwayEvent =
  | { kind: 'warning'; message: string; where?: string }
  | { kind: 'info'; message: string }
  | { kind: 'step-start'; id: string; message: string }
  | { kind: 'step-done'; id: string; message: string; ok: boolean }
  | { kind: 'image-digest'; name: string; digest: string; ref: string | null; files: number };
