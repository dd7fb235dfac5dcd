import { describe, expect, it } from 'vitest';
import type { EventFeed, EventPublisher, FeedBatch, FeedItem } from '../../src/domain/ports/event-bus.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { shardOf } from '../../src/domain/shared/shard.js';
import { useSubject, withinDeadline, yieldTurns, type ContractSubject } from './contract-support.js';
import { envelope } from './contract-events.js';

export interface EventBusOptions {
  readonly shardCount: number;
  /** Items each shard keeps before it overwrites the oldest. */
  readonly capacity: number;
}

export interface EventBusSubject extends ContractSubject {
  readonly publisher: EventPublisher;
  readonly feed: EventFeed;
  /** The capacity the shards really have, when the backend cannot take the one asked for. */
  readonly capacity?: number;
}

const OPTIONS: EventBusOptions = { shardCount: 4, capacity: 16 };
/** Longer than any test may take to see a published item; a read that waits this long has failed. */
const LONG_WAIT_MS = 20_000;

/**
 * The sharded, bounded feed: per-aggregate order on `shardOf(id)`, bounded reads, blocking reads
 * at the head, and overrun reported instead of silently skipped. Sequences are compared relative
 * to where each shard stood when a test began, never to 0.
 */
export function eventBusContract(name: string, factory: (options: EventBusOptions) => Promise<EventBusSubject>): void {
  describe(`EventPublisher and EventFeed contract: ${name}`, () => {
    const subject = useSubject(() => factory(OPTIONS));
    const feed = (): EventFeed => subject.get().feed;
    const publisher = (): EventPublisher => subject.get().publisher;
    const capacity = (): number => subject.get().capacity ?? OPTIONS.capacity;

    /** An aggregate id that `shardOf` puts on `shard`. */
    const idOnShard = (shard: number, label = ''): string => {
      const base = subject.key(label);
      for (let i = 0; ; i++) if (shardOf(`${base}${i}`, OPTIONS.shardCount) === shard) return `${base}${i}`;
    };
    const heads = (): Promise<number[]> =>
      Promise.all(Array.from({ length: OPTIONS.shardCount }, (_, shard) => feed().nextSequence(shard)));
    /** Everything on `shard` from `from` up to `until`, read in pages; an overrun here is a failure. */
    const readRange = async (shard: number, from: number, until: number): Promise<FeedItem[]> => {
      const items: FeedItem[] = [];
      for (let sequence = from; sequence < until; ) {
        const batch = await feed().read(shard, sequence, 7, 0);
        expect(batch.overrun).toBeUndefined();
        expect(batch.items.length).toBeGreaterThan(0);
        items.push(...batch.items);
        sequence = batch.nextSequence;
      }
      return items;
    };
    const expectConsecutive = (items: readonly FeedItem[], first: number): void =>
      expect(items.map((item) => item.sequence)).toEqual(items.map((_, i) => first + i));
    /**
     * A read with items available: "up to max" lets a backend return fewer (a ringbuffer caps one
     * read), never none, and always the next ones in order with the sequence after the last.
     */
    const expectPage = (batch: FeedBatch, first: number, max: number, available: readonly EventEnvelope[]): void => {
      expect(batch.items.length).toBeGreaterThan(0);
      expect(batch.items.length).toBeLessThanOrEqual(Math.min(max, available.length));
      expectConsecutive(batch.items, first);
      expect(batch.items.map((item) => item.event)).toStrictEqual(available.slice(0, batch.items.length));
      expect(batch.nextSequence).toBe(first + batch.items.length);
    };

    it('reports the shard count it was built with', () => {
      expect(publisher().shardCount).toBe(OPTIONS.shardCount);
      expect(feed().shardCount).toBe(OPTIONS.shardCount);
    });

    it("delivers each aggregate's events in publish order on shard shardOf(id)", async () => {
      // Six ids, at most two per shard: order is checked across shards, and no shard overflows.
      const ids: string[] = [];
      const perShard = new Map<number, number>();
      for (let i = 0; ids.length < 6 && i < 256; i++) {
        const id = subject.key(`a${i}`);
        const shard = shardOf(id, OPTIONS.shardCount);
        if ((perShard.get(shard) ?? 0) >= 2) continue;
        perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
        ids.push(id);
      }
      const shards = new Set(ids.map((id) => shardOf(id, OPTIONS.shardCount)));
      expect(shards.size).toBeGreaterThan(1);
      const before = await heads();
      const published: EventEnvelope[] = [];
      for (let round = 1; round <= 3; round++) {
        const batch = ids.map((id, i) => envelope(i % 2 === 0 ? 'account' : 'transfer', id, round));
        await publisher().publish(batch);
        published.push(...batch);
      }
      for (const id of ids.slice(0, 2)) {
        const single = envelope('account', id, 4, { correlationId: 'c' });
        await publisher().publish([single]);
        published.push(single);
      }
      const after = await heads();

      for (let shard = 0; shard < OPTIONS.shardCount; shard++) {
        const items = await readRange(shard, before[shard]!, after[shard]!);
        expectConsecutive(items, before[shard]!);
        const expected = published.filter((event) => shardOf(event.aggregateId, OPTIONS.shardCount) === shard);
        expect(items.map((item) => item.event)).toStrictEqual(expected);
      }
    });

    it('grows nextSequence by the number of events published', async () => {
      const shard = 1;
      const id = idOnShard(shard);
      const before = await heads();
      await publisher().publish([]);
      expect(await heads()).toEqual(before);
      await publisher().publish([1, 2, 3].map((version) => envelope('account', id, version)));
      await publisher().publish([envelope('account', id, 4)]);
      expect(await heads()).toEqual(before.map((head, i) => (i === shard ? head + 4 : head)));
    });

    it('reads at most max items from a sequence and says where to read next', async () => {
      const shard = 2;
      const id = idOnShard(shard);
      const start = await feed().nextSequence(shard);
      const events = [1, 2, 3, 4, 5].map((version) => envelope('account', id, version));
      await publisher().publish(events);

      for (const max of [1, 2, 100]) {
        const batch = await feed().read(shard, start, max, 0);
        expect(batch.overrun).toBeUndefined();
        expectPage(batch, start, max, events);
      }
      const middle = await feed().read(shard, start + 3, 100, 0);
      expectPage(middle, start + 3, 100, events.slice(3));
      expect(await readRange(shard, start, start + 5)).toStrictEqual(events.map((event, i) => ({ sequence: start + i, event })));
      expect(await feed().read(shard, start + 5, 100, 0)).toStrictEqual({ items: [], nextSequence: start + 5 });
    });

    it('answers a read waiting at the head as soon as an item is published', async () => {
      const shard = 3;
      const head = await feed().nextSequence(shard);
      const event = envelope('transfer', idOnShard(shard), 1);
      const startedMs = Date.now();
      const waiting = feed().read(shard, head, 10, LONG_WAIT_MS);
      await yieldTurns(5);
      await publisher().publish([event]);

      const batch = await withinDeadline(waiting, LONG_WAIT_MS / 2, 'a read waiting at the head');
      expect(Date.now() - startedMs).toBeLessThan(LONG_WAIT_MS / 2);
      expect(batch.items).toStrictEqual([{ sequence: head, event }]);
      expect(batch.nextSequence).toBe(head + 1);
      expect(batch.overrun).toBeUndefined();
    });

    it('answers a read that may not wait at once, right after a waiting read took the last item', async () => {
      const shard = 1;
      const head = await feed().nextSequence(shard);
      const event = envelope('account', idOnShard(shard), 1);
      await publisher().publish([event]);
      const taken = await withinDeadline(feed().read(shard, head, 10, LONG_WAIT_MS), LONG_WAIT_MS, 'a waiting read of a published item');
      expect(taken.items).toStrictEqual([{ sequence: head, event }]);
      // A feed may already be reading on from there for the waiting reader; this read must not wait on that.
      const startedMs = Date.now();
      const next = await withinDeadline(feed().read(shard, taken.nextSequence, 10, 0), LONG_WAIT_MS, 'a read that may not wait');
      expect(next).toStrictEqual({ items: [], nextSequence: taken.nextSequence });
      expect(Date.now() - startedMs).toBeLessThan(LONG_WAIT_MS / 2);
    });

    it('returns an empty batch at the head once waitMs has passed with nothing published', async () => {
      const shard = 0;
      const head = await feed().nextSequence(shard);
      const waitMs = 150;
      const startedMs = Date.now();
      const batch = await withinDeadline(feed().read(shard, head, 10, waitMs), LONG_WAIT_MS, 'a read with nothing to wait for');
      const elapsedMs = Date.now() - startedMs;
      expect(batch).toStrictEqual({ items: [], nextSequence: head });
      // Timers may fire a millisecond or two early; the point is that the read did wait.
      expect(elapsedMs).toBeGreaterThanOrEqual(waitMs - 10);
    });

    it('reports overrun when the items after the sequence were overwritten, and returns the oldest kept', async () => {
      const shard = 1;
      const id = idOnShard(shard);
      const before = await feed().nextSequence(shard);
      const overflow = 5;
      const events = Array.from({ length: capacity() + overflow }, (_, i) => envelope('account', id, i + 1));
      for (let i = 0; i < events.length; i += 7) await publisher().publish(events.slice(i, i + 7));
      const after = await feed().nextSequence(shard);
      expect(after).toBe(before + events.length);
      const oldest = after - capacity();

      const kept = events.slice(overflow);
      for (const [from, max] of [[before, capacity() * 2], [0, capacity()], [oldest - 1, 3]] as const) {
        const batch = await feed().read(shard, from, max, 0);
        expect(batch.overrun).toEqual({ oldestSequence: oldest });
        expectPage(batch, oldest, max, kept);
      }
      const fromOldest = await feed().read(shard, oldest, 3, 0);
      expect(fromOldest.overrun).toBeUndefined();
      expectPage(fromOldest, oldest, 3, kept);
      expect((await readRange(shard, oldest, after)).map((item) => item.event)).toStrictEqual(kept);
    });

    it('reports a sequence beyond nextSequence (a buffer that was reset) as overrun', async () => {
      const shard = 2;
      await publisher().publish([envelope('account', idOnShard(shard), 1)]);
      const head = await feed().nextSequence(shard);

      for (const from of [head + 1, head + 1_000]) {
        const batch = await withinDeadline(feed().read(shard, from, 5, 0), LONG_WAIT_MS, 'a read beyond the head');
        expect(batch.overrun).toBeDefined();
        const oldest = batch.overrun!.oldestSequence;
        expect(oldest).toBeGreaterThanOrEqual(Math.max(0, head - capacity()));
        expect(oldest).toBeLessThanOrEqual(head);
        expectConsecutive(batch.items, oldest);
        expect(batch.items.length).toBeGreaterThanOrEqual(head > oldest ? 1 : 0);
        expect(batch.items.length).toBeLessThanOrEqual(Math.min(5, head - oldest));
        expect(batch.nextSequence).toBe(oldest + batch.items.length);
      }
    });
  });
}
