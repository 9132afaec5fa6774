// --output json: events as NDJSON on stderr (stdout carries only the final result object).
import type { SlipwayEvent } from '../core/events.js';
import type { Reporter } from '../ports/index.js';
import type { Sink } from './format.js';

export class JsonReporter implements Reporter {
  constructor(
    private readonly sink: Sink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  emit(event: SlipwayEvent): void {
    this.sink.write(`${JSON.stringify({ time: this.now().toISOString(), ...event })}\n`);
  }
}
