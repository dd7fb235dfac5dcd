import { OperationTimeoutError, type HazelcastJsonValue, type ITopic, type Ringbuffer } from 'hazelcast-client';
import { shardOf } from '../../domain/shared/shard.js';
import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { EventFeed, EventPublisher, FeedBatch, FeedItem } from '../../domain/ports/event-bus.port.js';
import type { RecentItem, ShardBuffer } from '../../application/ports/backend-inspection.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import type { HazelcastNames } from './names.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';
import { strip, type StoredEvent } from './event-log.hazelcast.js';

/** What a ReliableTopic stores in its ringbuffer: the published value, still serialized. */
interface ReliableTopicMessage {
  readonly payload: unknown;
}

interface SerializationService {
  toObject(data: unknown): unknown;
}

interface Outstanding {
  readonly from: number;
  /** 1: blocks on the member until an item is there; 0: answers at once. */
  readonly min: number;
  readonly result: Promise<{ items: FeedItem[]; nextSequence: number; firstSequence: number }>;
}

/**
 * Publication on N ReliableTopics chosen by hash(aggregateId); subscription by reading the topics'
 * ringbuffers with readMany from the reader's own checkpoint. The client's message listener is not
 * used: it cannot resume from a sequence and only logs when it loses messages.
 */
export class EventBusHazelcast implements EventPublisher, EventFeed {
  /** A blocking read still running on the member, reused by the next read from the same sequence. */
  private readonly outstanding = new Map<number, Outstanding>();
  /**
   * Per shard, where the last read that returned items ended, and in which state of the cluster:
   * a read that goes on from there in the same state needs no tail check (see `readMany`).
   */
  private readonly continuations = new Map<number, { readonly next: number; readonly state: string }>();

  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly topics: readonly ITopic<HazelcastJsonValue>[],
    private readonly buffers: readonly Ringbuffer<ReliableTopicMessage>[],
    private readonly serialization: SerializationService,
    private readonly names: HazelcastNames,
  ) {}

  static async create(connection: HazelcastConnection, names: HazelcastNames, shardCount: number): Promise<EventBusHazelcast> {
    const topics: ITopic<HazelcastJsonValue>[] = [];
    const buffers: Ringbuffer<ReliableTopicMessage>[] = [];
    for (let shard = 0; shard < shardCount; shard++) {
      topics.push(await connection.client.getReliableTopic<HazelcastJsonValue>(names.topic(shard)));
      buffers.push(await connection.client.getRingbuffer<ReliableTopicMessage>(names.ringbuffer(shard)));
    }
    // The payload inside a topic message is still serialized; the public typings omit the service.
    const serialization = (connection.client as unknown as { getSerializationService(): SerializationService }).getSerializationService();
    return new EventBusHazelcast(connection, topics, buffers, serialization, names);
  }

  get shardCount(): number {
    return this.topics.length;
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    for (const event of events) {
      const topic = this.topics[shardOf(event.aggregateId, this.topics.length)]!;
      await this.connection.call('publish event', () => topic.publish(toJsonValue(event)));
    }
  }

  async read(shard: number, fromSequence: number, max: number, waitMs: number): Promise<FeedBatch> {
    let outstanding = this.outstanding.get(shard);
    // A read that may not wait cannot take over one that blocks.
    if (!outstanding || outstanding.from !== fromSequence || (waitMs === 0 && outstanding.min > 0)) {
      outstanding = this.startRead(shard, fromSequence, max, waitMs > 0 ? 1 : 0);
    }
    // A read that may not wait (min 0) answers at once; one that may, at most after `waitMs`.
    const result = waitMs > 0 ? await this.withinMs(outstanding.result, waitMs) : await outstanding.result;
    if (!result) return { items: [], nextSequence: fromSequence };
    // A reader that waits comes back for what follows: its next read starts now, on the member,
    // while it handles this batch (the tail and readMany calls leave the path of every event).
    if (waitMs > 0 && result.items.length > 0) this.startRead(shard, result.nextSequence, max, 1);
    const overran = result.firstSequence !== fromSequence;
    return {
      items: result.items,
      nextSequence: result.nextSequence,
      ...(overran ? { overrun: { oldestSequence: result.firstSequence } } : {}),
    };
  }

  /** Starts a read from `from` on the member, to be taken by the next read of the shard from there. */
  private startRead(shard: number, from: number, max: number, min: number): Outstanding {
    const outstanding = { from, min, result: this.readMany(shard, from, max, min) };
    this.outstanding.set(shard, outstanding);
    const forget = (): void => {
      if (this.outstanding.get(shard) === outstanding) this.outstanding.delete(shard);
    };
    // A read that brought items stays until a read from its sequence takes it: a prefetch that
    // finished before the reader came back is not read again. Nothing, or a failure, is not kept.
    outstanding.result.then((result) => {
      if (result.items.length === 0) forget();
    }, forget);
    return outstanding;
  }

  async nextSequence(shard: number): Promise<number> {
    const tail = await this.connection.call('read tail sequence', () => this.buffer(shard).tailSequence());
    return Number(tail) + 1;
  }

  /** Each shard's ringbuffer: the sequences it holds and its capacity. */
  async describeBuffers(): Promise<ShardBuffer[]> {
    return Promise.all(
      this.buffers.map(async (buffer, shard) => {
        const [head, tail, capacity] = await this.connection.call('inspect ringbuffer', () =>
          Promise.all([buffer.headSequence(), buffer.tailSequence(), buffer.capacity()]),
        );
        return { shard, name: this.names.ringbuffer(shard), head: Number(head), tail: Number(tail), capacity: Number(capacity) };
      }),
    );
  }

  /**
   * Up to `limit` of the newest items of every shard, by a non-blocking readMany of its own: the
   * reads the projections have in flight (`outstanding`) are left alone.
   */
  async newest(limit: number): Promise<RecentItem[]> {
    const perShard = await Promise.all(
      this.buffers.map(async (buffer, shard) => {
        const [head, tail] = (await this.connection.call('inspect ringbuffer', () => Promise.all([buffer.headSequence(), buffer.tailSequence()]))).map(Number) as [number, number];
        const from = Math.max(head, tail - limit + 1);
        if (tail < from) return [];
        const result = await this.connection.call('read newest events', () => buffer.readMany(from, 0, tail - from + 1));
        const items: RecentItem[] = [];
        for (let i = 0; i < result.size(); i++) items.push({ shard, sequence: Number(result.getSequence(i)), event: this.eventOf(result.get(i)) });
        return items;
      }),
    );
    return perShard.flat();
  }

  private eventOf(message: ReliableTopicMessage): EventEnvelope {
    return strip(fromJsonValue<StoredEvent>(this.serialization.toObject(message.payload) as HazelcastJsonValue)!);
  }

  private async readMany(shard: number, from: number, max: number, min: number): Promise<{ items: FeedItem[]; nextSequence: number; firstSequence: number }> {
    const buffer = this.buffer(shard);
    // A checkpoint past the end: the buffer was emptied (the cluster restarted). Start at its head.
    // The member does not refuse such a start: a non-blocking readMany answers empty and a blocking
    // one waits until the new buffer reaches it, skipping everything before. So the tail is asked
    // before a read, not only after an empty one, unless the read goes on exactly where the last one
    // that returned items ended, with the same connection and no member lost since: the buffer held
    // `from - 1` then, and only a cluster restart (a new connection) or the loss of both copies of
    // its partition (a member lost) empties it. Under load that is every read (ADR 0015 revision).
    const state = this.connection.membership();
    const continuation = this.continuations.get(shard);
    let start = from;
    if (continuation?.next !== from || continuation.state !== state) {
      const tail = Number(await this.connection.call('read tail sequence', () => buffer.tailSequence()));
      if (from > tail + 1) start = Number(await this.connection.call('read head sequence', () => buffer.headSequence()));
    }
    let result;
    try {
      result = await this.connection.call('read events', () => buffer.readMany(start, min, max));
    } catch (error) {
      // A blocking read that saw nothing until the invocation timeout: an empty batch, not a fault.
      if (error instanceof Error && error.cause instanceof OperationTimeoutError) return { items: [], nextSequence: from, firstSequence: from };
      throw error;
    }
    const items: FeedItem[] = [];
    for (let i = 0; i < result.size(); i++) {
      // Published by the member as stored in the log (ADR 0032), or by a writer as appended.
      items.push({ sequence: Number(result.getSequence(i)), event: this.eventOf(result.get(i)) });
    }
    // An empty result carries no next sequence of its own (the member answers 0): read again from `start`.
    if (result.getReadCount() === 0) return { items, nextSequence: start, firstSequence: start };
    const nextSequence = Number(result.getNextSequenceToReadFrom());
    this.continuations.set(shard, { next: nextSequence, state });
    // readMany silently starts at the head when `start` was overwritten: the first sequence tells.
    return { items, nextSequence, firstSequence: nextSequence - result.getReadCount() };
  }

  private buffer(shard: number): Ringbuffer<ReliableTopicMessage> {
    const buffer = this.buffers[shard];
    if (!buffer) throw new RangeError(`no shard ${shard} of ${this.buffers.length}`);
    return buffer;
  }

  private withinMs<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      promise,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]).finally(() => clearTimeout(timer));
  }
}
