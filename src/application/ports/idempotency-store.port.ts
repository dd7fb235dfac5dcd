/** What a first request answered, replayed to its retries. Opaque to the store. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Where the event of a command whose outcome is unknown would be, if it was appended. */
export interface AppendLocation {
  readonly aggregateType: 'account' | 'transfer';
  readonly aggregateId: string;
  readonly version: number;
  readonly eventId: string;
}

export type IdempotencyRecord =
  | { readonly state: 'in-flight'; readonly fingerprint: string; readonly leaseUntilMs: number }
  | { readonly state: 'done'; readonly fingerprint: string; readonly response: StoredResponse }
  /** The first request failed without knowing whether its event got in: `response` is its answer if it did. */
  | { readonly state: 'unknown'; readonly fingerprint: string; readonly check: AppendLocation; readonly response: StoredResponse };

export interface IdempotencyStore {
  /** Stores `record` when the key is free and returns undefined; else returns what is stored. */
  putIfAbsent(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined>;
  /** Replaces `expected` by `next`; false when the stored record is not `expected`. */
  replace(key: string, expected: IdempotencyRecord, next: IdempotencyRecord, ttlMs: number): Promise<boolean>;
  /** Removes the record when it is still `expected`. */
  remove(key: string, expected: IdempotencyRecord): Promise<void>;
  /**
   * Stores `record` over whatever the key holds, in the working copy only: for a store that keeps a
   * durable copy as well (the Hazelcast map writes through to PostgreSQL), the durable copy keeps
   * what it had. For when the durable copy cannot be written; a store with one copy just stores it.
   * Unconditional: only the holder of the key's live in-flight lease may call it.
   */
  overwriteWorkingCopy(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
}
