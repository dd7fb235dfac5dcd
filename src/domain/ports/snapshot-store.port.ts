/** The write model: an aggregate's state as of `version`, so a command need not replay the stream. */
export interface Snapshot<S> {
  readonly state: S;
  readonly version: number;
}

export interface SnapshotStore<S> {
  get(aggregateId: string): Promise<Snapshot<S> | undefined>;
  /**
   * Stores the snapshot unless the stored one is already at this version or later. `previous`, the
   * snapshot the caller loaded, is a hint: a store may replace it directly when it is still there.
   */
  saveIfNewer(aggregateId: string, snapshot: Snapshot<S>, previous?: Snapshot<S>): Promise<void>;
}
