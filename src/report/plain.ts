// Non-TTY / CI output on stderr: one timestamped line per state change, no spinners, no colour.
import type { SlipwayEvent } from '../core/events.js';
import type { Reporter } from '../ports/index.js';
import { formatWith, type Formatters, type Sink } from './format.js';

const formatters: Formatters<string | null> = {
  warning: (e) => `warning: ${e.where ? `${e.where}: ` : ''}${e.message}`,
  info: (e) => e.message,
  note: (e) => e.message,
  'step-start': (e) => `${e.message} ...`,
  'step-done': (e) => `${e.ok ? 'ok' : 'FAILED'}: ${e.message}`,
  'image-digest': () => null,
  waiting: (e) => `waiting: ${e.message}`,
  applied: (e) => `${e.action}: ${e.id}`,
  resource: (e) => `${e.id}: ${e.state}${e.desired ? ` ${e.ready}/${e.desired}` : ''}${e.message ? ` (${e.message})` : ''}`,
};

export class PlainReporter implements Reporter {
  constructor(
    private readonly sink: Sink,
    private readonly options: { timestamps: boolean; verbose: boolean; now?: () => Date },
  ) {}

  private readonly lastState = new Map<string, string>();

  emit(event: SlipwayEvent): void {
    if (event.kind === 'info' && !this.options.verbose) return;
    if (event.kind === 'applied' && event.action === 'unchanged' && !this.options.verbose) return;
    if (event.kind === 'resource') {
      // One line per state change, not per watch event.
      const key = `${event.state} ${event.ready}/${event.desired} ${event.message}`;
      if (this.lastState.get(event.id) === key) return;
      this.lastState.set(event.id, key);
    }
    const line = formatWith(formatters, event);
    if (line === null) return;
    const stamp = this.options.timestamps ? `${(this.options.now ?? (() => new Date()))().toISOString().slice(11, 19)} ` : '';
    this.sink.write(`${stamp}${line}\n`);
  }
}
