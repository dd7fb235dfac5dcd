export const ACCOUNT_STATUSES = ['open', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Set on a view whose projection parked its aggregate: the view is behind its stream until retried. */
export interface ViewStaleness {
  /** The version the projection could not apply. */
  readonly failedAt: number;
  readonly reason: string;
}

export interface AccountView {
  readonly stale?: ViewStaleness;
  readonly accountId: string;
  readonly owner: string;
  readonly currency: string;
  readonly balance: number;
  readonly status: AccountStatus;
  readonly version: number;
  readonly openedAt: string;
  readonly updatedAt: string;
}

export interface AccountListQuery {
  readonly owner?: string;
  readonly status?: AccountStatus;
  readonly minBalance?: number;
  readonly maxBalance?: number;
  /** Only ids strictly after this one, in code-point order. */
  readonly afterId?: string;
  readonly limit: number;
}

export type ViewChangeListener = (id: string, version: number) => void;

/** Versioned views: a write applies only over the version it was computed from, so a view never goes back. */
export interface VersionedViews<V extends { readonly version: number }> {
  get(id: string, options?: { readonly fresh?: boolean }): Promise<V | undefined>;
  /**
   * The view this process last wrote or read fresh, if it still remembers it, without asking the
   * store: it may be stale. A hint for the next compare-and-set, which fails when it is.
   */
  recall(id: string): V | undefined;
  /** Writes `view` when the stored version is `expectedVersion` (0: absent); false otherwise. */
  compareAndSet(id: string, view: V, expectedVersion: number): Promise<boolean>;
  /**
   * A bulk write of views folded from whole streams (ADR 0047): writes each view whose stored
   * version is lower, or that is absent, in batches. Not a compare-and-set: a view another writer
   * raised between the read and the write can go back, so its caller reads the log again after it.
   * Returns how many views were written.
   */
  raiseAll(views: ReadonlyMap<string, V>): Promise<number>;
  /**
   * A rebuild's bulk write into a fresh generation (ADR 0051): writes every view in batches without
   * reading the stored ones first, so a store behind the views is never asked for them. A view a
   * live event raised meanwhile can go back; the rebuild reads the log again at its end.
   */
  overwriteAll(views: ReadonlyMap<string, V>): Promise<void>;
  /** Notified, possibly from other processes, after a view changed. Returns the unsubscribe function. */
  onChange(listener: ViewChangeListener): () => void;
}

export interface AccountViews extends VersionedViews<AccountView> {
  /**
   * Ordered by `accountId` in code-point order. It sees only the views held where it looks: after
   * a full restart, those the store behind the views handed back so far (ADR 0054).
   */
  list(query: AccountListQuery): Promise<readonly AccountView[]>;
  /**
   * Holds these ids' views where `list` sees them: a view kept only in a store behind the views (a
   * full restart, ADR 0054) is read back, never over a newer one. Ids without a view are left out.
   */
  holdAll(ids: readonly string[]): Promise<void>;
}

export const TRANSACTION_TYPES = ['opened', 'deposit', 'withdrawal', 'transfer-in', 'transfer-out', 'transfer-refund', 'closed'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export interface TransactionEntry {
  readonly accountId: string;
  readonly version: number;
  readonly type: TransactionType;
  readonly amount: number;
  readonly balanceAfter: number;
  readonly at: string;
  readonly transferId?: string;
}

/** One entry per account event; written before the account view that counts it. */
export interface TransactionHistory {
  putAll(entries: readonly TransactionEntry[]): Promise<void>;
  /** Entries with `afterVersion < version <= upToVersion`, ascending, at most `limit`. */
  list(accountId: string, afterVersion: number, upToVersion: number, limit: number): Promise<readonly TransactionEntry[]>;
}

export const TRANSFER_STATUSES = ['pending', 'completed', 'failed'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface TransferView {
  readonly stale?: ViewStaleness;
  readonly transferId: string;
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly status: TransferStatus;
  readonly reason?: string;
  readonly version: number;
  readonly requestedAt: string;
  readonly updatedAt: string;
}

export type TransferViews = VersionedViews<TransferView>;

/** The stores of one generation of the accounts projection: what it writes and account queries read. */
export interface AccountsGeneration {
  readonly accountViews: AccountViews;
  readonly transactionHistory: TransactionHistory;
}

/** The stores of one generation of the transfers projection. */
export interface TransfersGeneration {
  readonly transferViews: TransferViews;
}
