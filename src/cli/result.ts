// The JSON result of SPEC section 8, printed on stdout with --output json (on failure too).

export interface JsonImage {
  name: string;
  ref: string | null;
  digest: string;
  [key: string]: unknown;
}

export interface JsonResult {
  command: string;
  ok: boolean;
  exitCode: number;
  release?: string;
  namespace?: string;
  revision?: number;
  commit?: string;
  images?: JsonImage[];
  resources?: unknown[];
  error: { code: number; message: string; [key: string]: unknown } | null;
  durationSeconds: number;
  [key: string]: unknown;
}

/** What a command hands back to main: data for stdout in each format. */
export interface CommandOutcome {
  text: string;
  json: Omit<JsonResult, 'command' | 'ok' | 'exitCode' | 'error' | 'durationSeconds'>;
  exitCode?: number;
}
