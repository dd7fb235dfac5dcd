import { streamKey, type EventEnvelope } from '../../domain/shared/event-envelope.js';

/**
 * Hands a batch of events to `handle`: each aggregate's events one after another in batch order,
 * different aggregates side by side, at most `concurrency` at a time. One aggregate's events stay
 * in order; a projection waits on the round trips of many aggregates at once instead of one.
 * Every aggregate's events are tried before the first failure is thrown, so a retry of the batch
 * never overlaps work still under way.
 */
export const dispatchByAggregate = async (
  events: readonly EventEnvelope[],
  handle: (event: EventEnvelope) => Promise<void>,
  concurrency: number,
): Promise<void> => {
  const streams = new Map<string, EventEnvelope[]>();
  for (const event of events) {
    const key = streamKey(event.aggregateType, event.aggregateId);
    const stream = streams.get(key);
    if (stream) stream.push(event);
    else streams.set(key, [event]);
  }
  const queue = [...streams.values()];
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    for (let stream = queue.shift(); stream; stream = queue.shift()) {
      try {
        for (const event of stream) await handle(event);
      } catch (error) {
        // The rest of this aggregate's events wait for the retry; other aggregates go on.
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker));
  if (failures.length > 0) throw failures[0];
};
