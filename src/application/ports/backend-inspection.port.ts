import type { FeedItem } from '../../domain/ports/event-bus.port.js';

/** One shard's buffer: sequences `head..tail` are held (`tail` is `head - 1` when it is empty). */
export interface ShardBuffer {
  readonly shard: number;
  readonly name: string;
  readonly head: number;
  readonly tail: number;
  readonly capacity: number;
}

export interface ClusterMember {
  readonly id: string;
  readonly address: string;
  readonly version?: string;
}

/** The last failure of a write the backend passes on to its database, as this process saw it. */
export interface WriteThroughError {
  readonly at: string;
  readonly operation: string;
  readonly message: string;
}

export interface BackendDescription {
  readonly kind: 'memory' | 'hazelcast';
  readonly members: readonly ClusterMember[];
  readonly buffers: readonly ShardBuffer[];
  /** Where writes are made durable; absent when nothing is (the embedded backend). */
  readonly writeThrough?: { readonly target: string; readonly lastError?: WriteThroughError };
}

export interface RecentItem extends FeedItem {
  readonly shard: number;
}

/** What an operator looks at: the backend's shape and the newest published events. Reads only. */
export interface BackendInspection {
  describe(): Promise<BackendDescription>;
  /** Up to `limit` of the newest items of each shard's buffer, without moving any reader. */
  newest(limit: number): Promise<readonly RecentItem[]>;
}
