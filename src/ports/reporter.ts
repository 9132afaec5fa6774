// Where workflows send typed progress events; renderers in report/ decide how they look.
import type { SlipwayEvent } from '../core/events.js';

export interface Reporter {
  emit(event: SlipwayEvent): void;
}
