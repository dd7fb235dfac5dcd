import type {
  AccountListQuery,
  AccountView,
  AccountViews,
  TransactionEntry,
  TransactionHistory,
  TransferView,
  TransferViews,
  VersionedViews,
  ViewChangeListener,
} from '../../domain/ports/read-model.port.js';

/**
 * Views that read and write whichever generation is active now. Change listeners follow the
 * switch: they hear the new generation's changes from the moment it becomes active.
 */
class SwitchingVersionedViews<V extends { readonly version: number }, T extends VersionedViews<V>> implements VersionedViews<V> {
  private readonly listeners = new Set<ViewChangeListener>();
  private unsubscribe: (() => void) | undefined;

  constructor(protected current: T) {}

  switchTo(next: T): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.current = next;
    if (this.listeners.size > 0) this.subscribe();
  }

  get(id: string, options?: { readonly fresh?: boolean }): Promise<V | undefined> {
    return this.current.get(id, options);
  }

  recall(id: string): V | undefined {
    return this.current.recall(id);
  }

  compareAndSet(id: string, view: V, expectedVersion: number): Promise<boolean> {
    return this.current.compareAndSet(id, view, expectedVersion);
  }

  raiseAll(views: ReadonlyMap<string, V>): Promise<number> {
    return this.current.raiseAll(views);
  }

  overwriteAll(views: ReadonlyMap<string, V>): Promise<void> {
    return this.current.overwriteAll(views);
  }

  onChange(listener: ViewChangeListener): () => void {
    this.listeners.add(listener);
    if (!this.unsubscribe) this.subscribe();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = undefined;
      }
    };
  }

  private subscribe(): void {
    this.unsubscribe = this.current.onChange((id, version) => {
      for (const listener of [...this.listeners]) listener(id, version);
    });
  }
}

export class SwitchingAccountViews extends SwitchingVersionedViews<AccountView, AccountViews> implements AccountViews {
  list(query: AccountListQuery): Promise<readonly AccountView[]> {
    return this.current.list(query);
  }

  holdAll(ids: readonly string[]): Promise<void> {
    return this.current.holdAll(ids);
  }
}

export class SwitchingTransferViews extends SwitchingVersionedViews<TransferView, TransferViews> implements TransferViews {}

export class SwitchingTransactionHistory implements TransactionHistory {
  constructor(private current: TransactionHistory) {}

  switchTo(next: TransactionHistory): void {
    this.current = next;
  }

  putAll(entries: readonly TransactionEntry[]): Promise<void> {
    return this.current.putAll(entries);
  }

  list(accountId: string, afterVersion: number, upToVersion: number, limit: number): Promise<readonly TransactionEntry[]> {
    return this.current.list(accountId, afterVersion, upToVersion, limit);
  }
}
