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

/** The namespace of one generation of the read model: generation 0 is the deployment's own. */
export const generationNamespace = (namespace: string, generation: number): string => (generation === 0 ? namespace : `${namespace}.g${generation}`);

/** The maps that hold one generation of a projection. */
export const generationMaps = (namespace: string, projection: 'accounts' | 'transfers', generation: number): string[] => {
  const names = hazelcastNames(generationNamespace(namespace, generation));
  return projection === 'accounts' ? [names.accountViews, names.transactions] : [names.transferViews];
};
