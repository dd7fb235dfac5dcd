import type { EventLog, LogPage, RecordedEvents, RecordedPosition } from '../../src/domain/ports/event-log.port.js';
import type { AggregateType, EventEnvelope } from '../../src/domain/shared/event-envelope.js';

/** A timestamp no window test uses: far below the windows `freeWindow` hands out. */
export const ORDINARY_TIME = '2026-01-01T00:00:00.000Z';

export const envelope = (
  aggregateType: AggregateType,
  aggregateId: string,
  version: number,
  overrides: Partial<EventEnvelope> = {},
): EventEnvelope => ({
  eventId: `${aggregateId}.${aggregateType}.${version}`,
  aggregateType,
  aggregateId,
  eventType: aggregateType === 'account' ? 'MoneyDeposited' : 'TransferStepClaimed',
  version,
  timestamp: ORDINARY_TIME,
  data: { amount: version },
  ...overrides,
});

export const byEventId = (events: readonly EventEnvelope[]): EventEnvelope[] =>
  [...events].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));

const WINDOW_SPAN_MS = 3_600_000;
const FIRST_WINDOW_MS = Date.parse('2400-01-01T00:00:00.000Z');
let nextWindow = 0;

/**
 * An hour of timestamps no event in the log has yet. Window tests write inside one, so
 * `recordedPage` sees only their events, whatever else the shared (or long-lived) log holds.
 */
export const freeWindow = async (log: EventLog): Promise<number> => {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const startMs = FIRST_WINDOW_MS + nextWindow++ * WINDOW_SPAN_MS;
    const probe = await log.recordedPage(startMs, startMs + WINDOW_SPAN_MS, 1);
    if (probe.events.length === 0) return startMs;
  }
  throw new Error('no free hour of timestamps found in the event log');
};

/** Every event of `read`'s pages, page after page from each page's `next`; and the pages' sizes. */
export const allPages = async (
  read: (after: RecordedPosition | undefined) => Promise<LogPage>,
): Promise<{ readonly events: EventEnvelope[]; readonly sizes: number[] }> => {
  const events: EventEnvelope[] = [];
  const sizes: number[] = [];
  let after: RecordedPosition | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await read(after);
    events.push(...page.events);
    sizes.push(page.events.length);
    if (page.next === undefined) return { events, sizes };
    after = page.next;
  }
  throw new Error('the pages did not end');
};

/**
 * Every id `streamsWithout` hands over, page after page from each page's last id until a page is not
 * full; and the pages' sizes.
 */
export const allStreamsWithout = async (
  log: RecordedEvents,
  aggregateType: AggregateType,
  eventType: string,
  limit: number,
): Promise<{ readonly ids: string[]; readonly sizes: number[] }> => {
  const ids: string[] = [];
  const sizes: number[] = [];
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await log.streamsWithout(aggregateType, eventType, limit, ids.at(-1));
    ids.push(...page);
    sizes.push(page.length);
    if (page.length < limit) return { ids, sizes };
  }
  throw new Error('the pages did not end');
};

export const iso = (ms: number): string => new Date(ms).toISOString();
