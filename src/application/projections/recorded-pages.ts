import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { AggregateType } from '../../domain/shared/event-envelope.js';
import type { LogPage, RecordedEvents, RecordedPosition } from '../../domain/ports/event-log.port.js';

/**
 * Hands `visit` every event recorded in `[fromMs, toMs)`, page after page of at most `limit`, each
 * page read from where the one before ended (ADR 0047): no window is read twice, however many
 * events one millisecond holds.
 */
export const forEachRecordedPage = (
  log: RecordedEvents,
  fromMs: number,
  toMs: number,
  limit: number,
  visit: (events: readonly EventEnvelope[]) => Promise<void>,
): Promise<void> => forEachPage((after) => log.recordedPage(fromMs, toMs, limit, after), visit);

/**
 * Batches of streams folded at once: the writes wait on the members, not on this process (measured,
 * ADR 0047), and batches share no stream.
 */
export const STREAM_BATCHES_IN_FLIGHT = 4;

/**
 * Hands `visit` every stream of `aggregateType` whole, in version order from version 1, a batch of
 * streams at a time: a stream that a page cut is held back and handed over with the rest of it, on
 * the next batch. Up to `inFlight` visits run at once (their batches share no stream); the first
 * failure ends the read once the visits under way are over, and is thrown.
 */
export const forEachStreamBatch = async (
  log: RecordedEvents,
  aggregateType: AggregateType,
  limit: number,
  visit: (streams: readonly (readonly EventEnvelope[])[], events: number) => Promise<void>,
  inFlight = 1,
): Promise<void> => {
  let held: EventEnvelope[] = [];
  const running = new Set<Promise<void>>();
  let failure: { readonly error: unknown } | undefined;
  const start = (streams: readonly (readonly EventEnvelope[])[], events: number): void => {
    const run: Promise<void> = visit(streams, events)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => running.delete(run));
    running.add(run);
  };
  try {
    await forEachPage(
      (after) => log.streamsPage(aggregateType, limit, after),
      async (events, last) => {
        const streams = splitStreams([...held, ...events]);
        held = last ? [] : [...(streams.pop() ?? [])];
        const handed = streams.reduce((sum, stream) => sum + stream.length, 0);
        if (streams.length > 0) start(streams, handed);
        while (running.size >= Math.max(1, inFlight)) await Promise.race(running);
        if (failure) throw failure.error;
      },
    );
  } finally {
    await Promise.all(running);
  }
  if (failure) throw failure.error;
};

/** Consecutive events of one stream together, in the order they come. */
export const splitStreams = (events: readonly EventEnvelope[]): EventEnvelope[][] => {
  const streams: EventEnvelope[][] = [];
  let current: EventEnvelope[] | undefined;
  for (const event of events) {
    const first = current?.[0];
    if (!current || !first || first.aggregateId !== event.aggregateId || first.aggregateType !== event.aggregateType) {
      current = [];
      streams.push(current);
    }
    current.push(event);
  }
  return streams;
};

/** Reads each page while the one before it is visited: reading and writing overlap. */
const forEachPage = async (
  read: (after: RecordedPosition | undefined) => Promise<LogPage>,
  visit: (events: readonly EventEnvelope[], last: boolean) => Promise<void>,
): Promise<void> => {
  let page = await read(undefined);
  for (;;) {
    const next = page.next === undefined ? undefined : read(page.next);
    // Should visiting fail, the page read ahead is not awaited: its failure is not another one.
    next?.catch(() => undefined);
    await visit(page.events, next === undefined);
    if (next === undefined) return;
    page = await next;
  }
};
