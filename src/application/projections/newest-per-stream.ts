import { streamKey, type EventEnvelope } from '../../domain/shared/event-envelope.js';

/**
 * The newest event of each stream among `events`. Handing a projection only that one is enough:
 * it fills the gap before it from the log in one read and one write, instead of one per event.
 */
export const newestPerStream = (events: readonly EventEnvelope[]): EventEnvelope[] => {
  const newest = new Map<string, EventEnvelope>();
  for (const event of events) {
    const key = streamKey(event.aggregateType, event.aggregateId);
    const kept = newest.get(key);
    if (!kept || kept.version < event.version) newest.set(key, event);
  }
  return [...newest.values()];
};
