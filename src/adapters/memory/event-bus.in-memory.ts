import { shardOf } from '../../domain/shared/shard.js';
import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { EventFeed, EventPublisher, FeedBatch, FeedItem } from '../../domain/ports/event-bus.port.js';
import { wakeablePause } from '../../support/wakeable-pause.js';
import type { RecentItem, ShardBuffer } from '../../application/ports/backend-inspection.port.js';

interface Shard {
  /** Ring of the newest `capacity` items; item `s` sits at `s % capacity`. */
  readonly ring: (FeedItem | undefined)[];
  next: number;
  readonly waiters: Set<() => void>;
}

/**
 * Bounded, ordered shard buffers with the overwrite behaviour of a ringbuffer: a reader slower than
 * `capacity` items finds its sequence gone and is told so.
 */
export class EventBusInMemory implements EventPublisher, EventFeed {
  private readonly shards: Shard[];

  constructor(
    readonly shardCount: number,
    private readonly capacity: number,
  ) {
    this.shards = Array.from({ length: shardCount }, () => ({ ring: new Array(capacity), next: 0, waiters: new Set() }));
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) this.deliver(shardOf(event.aggregateId, this.shardCount), event);
  }

  /** Appends to one shard as it is; the fault-injecting bus uses this to misroute on purpose. */
  deliver(shardIndex: number, event: EventEnvelope): void {
    const shard = this.shard(shardIndex);
    const sequence = shard.next++;
    shard.ring[sequence % this.capacity] = { sequence, event };
    for (const wake of [...shard.waiters]) wake();
  }

  async read(shardIndex: number, fromSequence: number, max: number, waitMs: number): Promise<FeedBatch> {
    const shard = this.shard(shardIndex);
    if (fromSequence === shard.next && waitMs > 0) await this.waitForItem(shard, waitMs);
    const oldest = Math.max(0, shard.next - this.capacity);
    const overran = fromSequence < oldest || fromSequence > shard.next;
    const start = overran ? oldest : fromSequence;
    const end = Math.min(shard.next, start + max);
    const items: FeedItem[] = [];
    for (let sequence = start; sequence < end; sequence++) items.push(shard.ring[sequence % this.capacity]!);
    return { items, nextSequence: end, ...(overran ? { overrun: { oldestSequence: oldest } } : {}) };
  }

  async nextSequence(shardIndex: number): Promise<number> {
    return this.shard(shardIndex).next;
  }

  /** Each shard's held range, as a ringbuffer reports it. */
  describeBuffers(): ShardBuffer[] {
    return this.shards.map((shard, index) => ({
      shard: index,
      name: `events.${index}`,
      head: Math.max(0, shard.next - this.capacity),
      tail: shard.next - 1,
      capacity: this.capacity,
    }));
  }

  /** Up to `limit` of the newest items of every shard; no reader moves. */
  newest(limit: number): RecentItem[] {
    return this.shards.flatMap((shard, index) => {
      const items: RecentItem[] = [];
      for (let sequence = Math.max(0, shard.next - Math.min(limit, this.capacity)); sequence < shard.next; sequence++) {
        items.push({ shard: index, ...shard.ring[sequence % this.capacity]! });
      }
      return items;
    });
  }

  private shard(index: number): Shard {
    const shard = this.shards[index];
    if (!shard) throw new RangeError(`no shard ${index} of ${this.shardCount}`);
    return shard;
  }

  private waitForItem(shard: Shard, waitMs: number): Promise<void> {
    return wakeablePause(waitMs, shard.waiters);
  }
}
