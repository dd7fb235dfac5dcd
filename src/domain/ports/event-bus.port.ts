import type { EventEnvelope } from '../shared/event-envelope.js';

/** Publication: events go to shard `shardOf(aggregateId, shardCount)`; one aggregate's events stay in order. */
export interface EventPublisher {
  readonly shardCount: number;
  publish(events: readonly EventEnvelope[]): Promise<void>;
}

export interface FeedItem {
  readonly sequence: number;
  readonly event: EventEnvelope;
}

export interface FeedBatch {
  readonly items: readonly FeedItem[];
  /** The sequence to read from next. */
  readonly nextSequence: number;
  /**
   * Set when `fromSequence` had already fallen off the buffer: the items before `oldestSequence` were
   * overwritten unread and must be recovered from the event log.
   */
  readonly overrun?: { readonly oldestSequence: number };
}

/** Subscription: each shard is an ordered, bounded buffer read from a checkpoint the reader keeps. */
export interface EventFeed {
  readonly shardCount: number;
  /** Up to `max` items from `fromSequence`; waits at most `waitMs` for the first one (an empty batch then). */
  read(shard: number, fromSequence: number, max: number, waitMs: number): Promise<FeedBatch>;
  /** The sequence the next published item on the shard will get. */
  nextSequence(shard: number): Promise<number>;
}
