/**
 * Recovers a shard's events from the log after its reader fell off the buffer: the projection
 * runner asks it, the reconciler answers it.
 */
export interface ShardRecovery {
  recoverShard(shard: number, fromMs: number): Promise<number>;
}
