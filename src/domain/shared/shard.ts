/**
 * The shard an aggregate's events are published on. FNV-1a over the UTF-16 code units: stable
 * across processes and versions, so every instance agrees on it.
 */
export const shardOf = (aggregateId: string, shardCount: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < aggregateId.length; i++) {
    hash ^= aggregateId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
};
