// One formatter per event kind: a new kind does not compile until every renderer handles it.
import type { SlipwayEvent } from '../core/events.js';

export type Formatters<R> = { [K in SlipwayEvent['kind']]: (event: Extract<SlipwayEvent, { kind: K }>) => R };

export function formatWith<R>(formatters: Formatters<R>, event: SlipwayEvent): R {
  return (formatters[event.kind] as (e: SlipwayEvent) => R)(event);
}

export interface Sink {
  write(text: string): void;
}
