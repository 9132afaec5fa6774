// Non-TTY / CI output on stderr: one timestamped line per state change, no spinners, no colour.
import type { SlipwayEvent } from '../core/events.js';
import type { Reporter } from '../ports/index.js';
import { formatWith, type Formatters, type Sink } from './format.js';

const formatters: Formatters<string | null> = {
  warning: (e) => `warning: ${e.where ? `${e.where}: ` : ''}${e.message}`,
  info: (e) => e.message,
  'step-start': (e) => `${e.message} ...`,
  'step-done': (e) => `${e.ok ? 'ok' : 'FAILED'}: ${e.message}`,
  'image-digest': () => null,
};

export class PlainReporter implements Reporter {
  constructor(
    private readonly sink: Sink,
    private readonly options: { timestamps: boolean; verbose: boolean; now?: () => Date },
  ) {}

  emit(event: SlipwayEvent): void {
    if (event.kind === 'info' && !this.options.verbose) return;
    const line = formatWith(formatters, event);
    if (line === null) return;
    const stamp = this.options.timestamps ? `${(this.options.now ?? (() => new Date()))().toISOString().slice(11, 19)} ` : '';
    this.sink.write(`${stamp}${line}\n`);
  }
}
