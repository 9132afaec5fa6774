// Picks the renderer: TTY (live region, colour) only on an interactive stderr with a width, outside CI.
import type { Reporter } from '../ports/index.js';
import { PlainReporter } from './plain.js';

export interface ReporterOptions {
  color: boolean;
  verbose: boolean;
  json?: boolean;
  stream: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** A terminal that reports no width (a pty with 0 columns) gets plain output: a live region needs one. */
export function isInteractive(options: ReporterOptions): boolean {
  return Boolean(options.stream.isTTY) && (options.stream.columns ?? 0) > 0 && !options.env.CI && options.env.TERM !== 'dumb';
}

export function colorEnabled(options: ReporterOptions): boolean {
  return options.color && !('NO_COLOR' in options.env && options.env.NO_COLOR !== '') && isInteractive(options);
}

export async function createReporter(options: ReporterOptions): Promise<Reporter> {
  if (options.json) {
    const { JsonReporter } = await import('./json.js');
    return new JsonReporter(options.stream);
  }
  if (!isInteractive(options)) {
    return new PlainReporter(options.stream, { timestamps: Boolean(options.env.CI), verbose: options.verbose });
  }
  const [{ Chalk }, { TtyReporter }] = await Promise.all([import('chalk'), import('./tty.js')]);
  const chalk = new Chalk({ level: colorEnabled(options) ? 1 : 0 });
  return new TtyReporter({ chalk, stream: options.stream, verbose: options.verbose });
}

/** Headline colouring for the final error, without loading chalk when colour is off. */
export async function paint(options: ReporterOptions): Promise<{ red(s: string): string; dim(s: string): string; bold(s: string): string }> {
  if (!colorEnabled(options)) return { red: (s) => s, dim: (s) => s, bold: (s) => s };
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { red: (s) => c.red(s), dim: (s) => c.dim(s), bold: (s) => c.bold(s) };
}
