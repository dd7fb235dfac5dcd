export interface Checkpoint {
  /** The next feed sequence to read. */
  readonly sequence: number;
  /** Timestamp (ms) of the newest event handled; recovery scans the log from a little before it. */
  readonly eventTimeMs: number;
}

export interface Checkpoints {
  get(name: string, shard: number): Promise<Checkpoint | undefined>;
  save(name: string, shard: number, checkpoint: Checkpoint): Promise<void>;
}
