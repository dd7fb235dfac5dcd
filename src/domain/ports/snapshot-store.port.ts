/** The write model: an aggregate's state as of `version`, so a command need not replay the stream. */
export interface Snapshot<S> {
  readonly state: S;
  readonly version: number;
}

export interface SnapshotStore<S> {
  get(aggregateId: string): Promise<Snapshot<S> | undefined>;
  /** Stores the snapshot unless the stored one is already at this version or later. */
  saveIfNewer(aggregateId: string, snapshot: Snapshot<S>): Promise<void>;
}
