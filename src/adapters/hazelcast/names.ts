/** Every distributed object of one deployment, under one namespace (tests use their own). */
export interface HazelcastNames {
  readonly eventLog: string;
  readonly accountSnapshots: string;
  readonly transferSnapshots: string;
  readonly checkpoints: string;
  readonly leases: string;
  readonly accountViews: string;
  readonly transferViews: string;
  readonly transactions: string;
  readonly idempotency: string;
  readonly parked: string;
  topic(shard: number): string;
  /** The ringbuffer behind a ReliableTopic. */
  ringbuffer(shard: number): string;
}

export const hazelcastNames = (namespace: string): HazelcastNames => ({
  eventLog: `${namespace}.event-log`,
  accountSnapshots: `${namespace}.snapshots.account`,
  transferSnapshots: `${namespace}.snapshots.transfer`,
  checkpoints: `${namespace}.checkpoints`,
  leases: `${namespace}.leases`,
  accountViews: `${namespace}.views.accounts`,
  transferViews: `${namespace}.views.transfers`,
  transactions: `${namespace}.views.transactions`,
  idempotency: `${namespace}.idempotency`,
  parked: `${namespace}.parked`,
  topic: (shard) => `${namespace}.events.${shard}`,
  ringbuffer: (shard) => `_hz_rb_${namespace}.events.${shard}`,
});
