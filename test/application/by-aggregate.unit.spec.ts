import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatchByAggregate } from '../../src/application/projections/by-aggregate.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { TEST_SEED } from '../support/seeded-random.js';

const event = (aggregateId: string, version: number): EventEnvelope => ({
  eventId: `${aggregateId}.${version}`,
  aggregateType: 'account',
  aggregateId,
  eventType: 'MoneyDeposited',
  version,
  timestamp: '2026-11-27T00:00:00.000Z',
  correlationId: 'c',
  data: { amount: 1 },
});

/** A batch as a shard delivers it: each aggregate's versions ascending, aggregates interleaved. */
const batches = fc
  .array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 60 })
  .map((owners) => {
    const next = new Map<number, number>();
    return owners.map((owner) => {
      const version = (next.get(owner) ?? 0) + 1;
      next.set(owner, version);
      return event(`a${owner}`, version);
    });
  });

describe('projecting a batch aggregate by aggregate', () => {
  it('keeps each aggregate in order, handles every event once and never exceeds the concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(batches, fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1 }), async (batch, concurrency, delays) => {
        const seen: string[] = [];
        let running = 0;
        let most = 0;
        let turn = 0;
        await dispatchByAggregate(
          batch,
          async (e) => {
            running++;
            most = Math.max(most, running);
            // Uneven waits let aggregates overtake each other.
            for (let i = delays[turn++ % delays.length]!; i > 0; i--) await Promise.resolve();
            seen.push(e.eventId);
            running--;
          },
          concurrency,
        );
        expect([...seen].sort()).toEqual(batch.map((e) => e.eventId).sort());
        for (const id of new Set(batch.map((e) => e.aggregateId))) {
          const versions = seen.filter((s) => s.startsWith(`${id}.`)).map((s) => Number(s.split('.')[1]));
          expect(versions).toEqual([...versions].sort((a, b) => a - b));
        }
        expect(most).toBeLessThanOrEqual(concurrency);
      }),
      { seed: TEST_SEED, numRuns: 200 },
    );
  });

  it('runs different aggregates side by side', async () => {
    let running = 0;
    let most = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const done = dispatchByAggregate([event('a', 1), event('b', 1), event('c', 1)], async () => {
      running++;
      most = Math.max(most, running);
      if (running === 3) open();
      await gate;
      running--;
    }, 8);
    await done;
    expect(most).toBe(3);
  });

  it('stops an aggregate at its failed event, finishes the others, then fails', async () => {
    const seen: string[] = [];
    const failure = new Error('cannot apply');
    const outcome = dispatchByAggregate([event('a', 1), event('a', 2), event('b', 1), event('b', 2)], async (e) => {
      if (e.eventId === 'a.1') throw failure;
      seen.push(e.eventId);
    }, 2);
    await expect(outcome).rejects.toBe(failure);
    expect(seen).toEqual(['b.1', 'b.2']);
  });
});
