/** One owner per projection shard at a time; a lease that is not renewed expires and can be taken over. */
export interface ProjectionLeases {
  /** Takes or renews the lease; true while `owner` holds it. */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<void>;
  /** Who holds the lease now; undefined when nobody does or it expired. */
  holder(key: string): Promise<string | undefined>;
}
