import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventLogInMemory } from '../../src/adapters/memory/event-log.in-memory.js';
import { forEachRecordedPage, forEachStreamBatch, splitStreams } from '../../src/application/projections/recorded-pages.js';
import type { LogPage, RecordedEvents, RecordedPosition } from '../../src/domain/ports/event-log.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { envelope, iso } from '../contracts/contract-events.js';
import { TEST_SEED } from '../support/seeded-random.js';

const T0 = Date.parse('2026-12-04T00:00:00.000Z');

/** A log of `lengths[i]` events in stream `s<i>`, their times spread over `spanMs`. */
const logOf = async (lengths: readonly number[], spanMs: number): Promise<{ log: EventLogInMemory; events: EventEnvelope[] }> => {
  const log = new EventLogInMemory();
  const events: EventEnvelope[] = [];
  let n = 0;
  for (const [s, length] of lengths.entries()) {
    for (let version = 1; version <= length; version++) {
      const event = envelope('account', `s${s}`, version, { timestamp: iso(T0 + ((n++ * 7) % (spanMs + 1))) });
      await log.append(event);
      events.push(event);
    }
  }
  return { log, events };
};

/** Counts the reads a visit makes. */
const counted = (log: RecordedEvents): { log: RecordedEvents; reads: () => number } => {
  let reads = 0;
  return {
    log: {
      recordedPage: (...args) => (reads++, log.recordedPage(...args)),
      streamsPage: (...args) => (reads++, log.streamsPage(...args)),
      streamsWithout: (...args) => (reads++, log.streamsWithout(...args)),
      streamIds: (...args) => log.streamIds(...args),
      count: (...args) => log.count(...args),
    },
    reads: () => reads,
  };
};

describe('splitStreams', () => {
  it('puts consecutive events of one stream together, in the order they come', () => {
    const [a1, a2, b1, c1, c2] = [envelope('account', 'a', 1), envelope('account', 'a', 2), envelope('account', 'b', 1), envelope('transfer', 'c', 1), envelope('transfer', 'c', 2)];
    expect(splitStreams([a1!, a2!, b1!, c1!, c2!])).toStrictEqual([[a1, a2], [b1], [c1, c2]]);
    expect(splitStreams([])).toStrictEqual([]);
    // One id, two types: two streams.
    const other = envelope('transfer', 'a', 1);
    expect(splitStreams([a1!, other])).toStrictEqual([[a1], [other]]);
  });
});

describe('forEachRecordedPage', () => {
  it('hands over every event of the range once, one read per page and no more (no window read twice)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 12 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 20 }), async (lengths, limit, spanMs) => {
        const { log, events } = await logOf(lengths, spanMs);
        const reader = counted(log);
        const seen: EventEnvelope[] = [];
        await forEachRecordedPage(reader.log, T0, T0 + spanMs + 1, limit, async (page) => {
          expect(page.length).toBeLessThanOrEqual(limit);
          seen.push(...page);
        });
        expect(seen.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
        expect(reader.reads()).toBe(Math.floor(events.length / limit) + 1);
      }),
      { seed: TEST_SEED, numRuns: 60 },
    );
  });

  it('leaves out what lies outside [from, to)', async () => {
    const { log, events } = await logOf([5, 5], 9);
    const seen: EventEnvelope[] = [];
    await forEachRecordedPage(log, T0 + 2, T0 + 5, 2, async (page) => void seen.push(...page));
    const inside = events.filter((e) => Date.parse(e.timestamp) >= T0 + 2 && Date.parse(e.timestamp) < T0 + 5);
    expect(seen.map((e) => e.eventId).sort()).toEqual(inside.map((e) => e.eventId).sort());
  });

  it('stops at the first failure of a visit, and the page read ahead does not fail anything else', async () => {
    const { log } = await logOf([4], 3);
    let failingReads = 0;
    const reader: RecordedEvents = {
      ...log,
      recordedPage: async (from: number, to: number, limit: number, after?: RecordedPosition): Promise<LogPage> => {
        if (after) failingReads++;
        if (after) throw new Error('PostgreSQL went away');
        return log.recordedPage(from, to, limit, after);
      },
      streamsPage: (...args) => log.streamsPage(...args),
      streamsWithout: (...args) => log.streamsWithout(...args),
      streamIds: (...args) => log.streamIds(...args),
      count: (...args) => log.count(...args),
    };
    await expect(forEachRecordedPage(reader, T0, T0 + 10, 2, async () => Promise.reject(new Error('view store down')))).rejects.toThrow('view store down');
    expect(failingReads).toBe(1);
    await expect(forEachRecordedPage(reader, T0, T0 + 10, 2, async () => undefined)).rejects.toThrow('PostgreSQL went away');
  });
});

describe('forEachStreamBatch', () => {
  it('hands over every stream whole, once, however the pages cut it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 0, maxLength: 10 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), async (lengths, limit, inFlight) => {
        const { log, events } = await logOf(lengths, 5);
        const reader = counted(log);
        const streams: (readonly EventEnvelope[])[] = [];
        let reported = 0;
        let running = 0;
        await forEachStreamBatch(reader.log, 'account', limit, async (batch, count) => {
          expect(count).toBe(batch.reduce((sum, stream) => sum + stream.length, 0));
          running++;
          expect(running).toBeLessThanOrEqual(inFlight);
          // Let the others start: visits overlap up to inFlight.
          await Promise.resolve();
          running--;
          reported += count;
          streams.push(...batch);
        }, inFlight);
        expect(reported).toBe(events.length);
        const byId = new Map(streams.map((stream) => [stream[0]!.aggregateId, stream]));
        expect(byId.size).toBe(streams.length);
        for (const [s, length] of lengths.entries()) {
          expect(byId.get(`s${s}`)?.map((e) => e.version)).toEqual(Array.from({ length }, (_, i) => i + 1));
        }
        expect(reader.reads()).toBe(Math.floor(events.length / limit) + 1);
      }),
      { seed: TEST_SEED, numRuns: 60 },
    );
  });

  it('ends at the first failed visit, after the visits under way are over, and throws it', async () => {
    const { log } = await logOf([2, 2, 2, 2, 2, 2], 5);
    const finished: string[] = [];
    let visits = 0;
    const read = forEachStreamBatch(
      log,
      'account',
      2,
      async (batch) => {
        const n = visits++;
        if (n === 1) throw new Error('the members refused the batch');
        await new Promise<void>((resolve) => setImmediate(resolve));
        finished.push(batch[0]![0]!.aggregateId);
      },
      3,
    );
    await expect(read).rejects.toThrow('the members refused the batch');
    // Started before the failure was seen: they ran to their end; nothing started after it.
    expect(visits).toBeLessThanOrEqual(3);
    expect(finished.length).toBe(visits - 1);
  });
});
