import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectionDispatcher } from '../../src/application/projections/projection-dispatcher.js';
import { ProjectionRunner } from '../../src/application/projections/projection-runner.js';
import { silentLogger } from '../../src/application/ports/logger.port.js';
import type { Checkpoint } from '../../src/domain/ports/checkpoints.port.js';
import type { EventFeed, FeedBatch } from '../../src/domain/ports/event-bus.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { eventually } from '../support/eventually.js';
import { FixedClock } from '../support/fixed-clock.js';

const TTL = 9_000;
const CHECKPOINT_EVERY = 1_000;

const event = (version: number): EventEnvelope => ({
  eventId: `a.${version}`,
  aggregateType: 'account',
  aggregateId: 'a',
  eventType: 'MoneyDeposited',
  version,
  timestamp: '2026-11-27T00:00:00.000Z',
  data: { amount: 1 },
});

/**
 * One shard whose reads the test answers one at a time: each `deliver` hands the waiting read one
 * event; a read that fails makes the runner's step fail.
 */
const scene = () => {
  const clock = new FixedClock();
  const acquired: number[] = [];
  let grant = true;
  const reads: { resolve: (batch: FeedBatch) => void; reject: (error: Error) => void; from: number }[] = [];
  const feed: EventFeed = {
    shardCount: 1,
    read: (_shard, from) => new Promise((resolve, reject) => reads.push({ resolve, reject, from })),
    nextSequence: () => Promise.resolve(0),
  };
  const saved = new Map<string, Checkpoint>();
  const dispatched: number[] = [];
  const runner = new ProjectionRunner(
    feed,
    {
      get: (name, shard) => Promise.resolve(saved.get(`${name}/${shard}`)),
      save: (name, shard, checkpoint) => Promise.resolve(void saved.set(`${name}/${shard}`, checkpoint)),
    },
    {
      acquire: () => {
        acquired.push(clock.now());
        return Promise.resolve(grant);
      },
      release: () => Promise.resolve(),
      holder: () => Promise.resolve(undefined),
    },
    { dispatch: (e: EventEnvelope) => Promise.resolve(void dispatched.push(e.version)) } as unknown as ProjectionDispatcher,
    { recoverShard: () => Promise.resolve(0) },
    clock,
    silentLogger,
    { ownerId: 'me', batchSize: 10, readWaitMs: 100, leaseTtlMs: TTL, recoveryOverlapMs: 0, parallelAggregates: 1, checkpointEveryMs: CHECKPOINT_EVERY },
  );
  let version = 0;
  /** Answers the read in progress with the next event and waits until it is projected. */
  const deliver = async (): Promise<void> => {
    await eventually(() => reads.length > 0, { message: 'no read in progress' });
    const read = reads.shift()!;
    version++;
    read.resolve({ items: [{ sequence: read.from, event: event(version) }], nextSequence: read.from + 1 });
    await eventually(() => dispatched.length === version, { message: `event ${version} not projected` });
  };
  return {
    clock,
    acquired,
    savedSequence: () => saved.get('projections/0')?.sequence,
    /** Answers the read in progress with nothing, as a real one does once its wait is over. */
    idle: async () => {
      await eventually(() => reads.length > 0, { message: 'no read in progress' });
      const read = reads.shift()!;
      read.resolve({ items: [], nextSequence: read.from });
      await eventually(() => reads.length > 0, { message: 'the runner did not read again' });
    },
    dispatched,
    runner,
    deliver,
    refuse: () => (grant = false),
    /** Fails the read in progress. */
    failRead: async () => {
      await eventually(() => reads.length > 0, { message: 'no read in progress' });
      reads.shift()!.reject(new Error('cluster lost'));
    },
    readsWaiting: () => reads.length,
    /** Stops the runner: a read in progress answers empty, as a real one does after its wait. */
    stop: async () => {
      const stopping = runner.stop();
      for (const read of reads.splice(0)) read.resolve({ items: [], nextSequence: read.from });
      await stopping;
    },
  };
};

let running: { stop(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('the projection runner holds its shard lease without asking before every batch', () => {
  it('asks once, then again only after a third of the time to live', async () => {
    const s = scene();
    running = s;
    s.runner.start();
    for (let i = 0; i < 5; i++) await s.deliver();
    expect(s.acquired).toHaveLength(1);

    s.clock.advance(TTL / 3 - 1);
    await s.deliver();
    expect(s.acquired).toHaveLength(1);

    s.clock.advance(1);
    await s.deliver();
    await s.deliver();
    expect(s.acquired).toHaveLength(2);
    expect(s.acquired[1]! - s.acquired[0]!).toBe(TTL / 3);
  });

  it('stops reading once the renewal is refused', async () => {
    const s = scene();
    running = s;
    s.runner.start();
    await s.deliver();
    s.refuse();
    s.clock.advance(TTL / 3);
    await s.deliver(); // read before the renewal was due
    await eventually(() => s.runner.status()[0]!.owned === false, { message: 'the shard is still owned' });
    expect(s.acquired.length).toBeGreaterThanOrEqual(2);
    expect(s.dispatched).toEqual([1, 2]);
    expect(s.readsWaiting()).toBe(0);
  });

  it('asks again after a failed step, before the renewal is due', async () => {
    const s = scene();
    running = s;
    s.runner.start();
    await s.deliver();
    expect(s.acquired).toHaveLength(1);
    await s.failRead();
    await s.deliver();
    expect(s.acquired).toHaveLength(2);
  });
});

describe('the projection runner saves its checkpoint while events flow at most once a period', () => {
  it('saves once the period has passed, then the period has passed, then when the shard goes idle and when it stops', async () => {
    const s = scene();
    running = s;
    s.runner.start();
    for (let i = 0; i < 5; i++) await s.deliver();
    // The first save comes a period after the lease was taken.
    expect(s.savedSequence()).toBeUndefined();
    s.clock.advance(CHECKPOINT_EVERY);
    await s.deliver();
    expect(s.savedSequence()).toBe(6);
    await s.deliver();
    await s.deliver();
    expect(s.savedSequence()).toBe(6);
    await s.idle();
    expect(s.savedSequence()).toBe(8);
    await s.deliver();
    expect(s.savedSequence()).toBe(8);
    await s.stop();
    running = undefined;
    expect(s.savedSequence()).toBe(9);
  });
});
