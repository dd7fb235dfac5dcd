import type { TransactionEntry, TransactionHistory } from '../../domain/ports/read-model.port.js';

export class TransactionHistoryInMemory implements TransactionHistory {
  /** Per account, entry `v` at index `v - 1`. */
  private readonly accounts = new Map<string, TransactionEntry[]>();

  async putAll(entries: readonly TransactionEntry[]): Promise<void> {
    for (const entry of entries) {
      const list = this.accounts.get(entry.accountId) ?? [];
      list[entry.version - 1] = entry;
      this.accounts.set(entry.accountId, list);
    }
  }

  async list(accountId: string, afterVersion: number, upToVersion: number, limit: number): Promise<readonly TransactionEntry[]> {
    const list = this.accounts.get(accountId) ?? [];
    const found: TransactionEntry[] = [];
    // Bounded by what is stored, not by `upToVersion` alone: a caller may ask up to any version.
    const last = Math.min(upToVersion, list.length);
    for (let version = afterVersion + 1; version <= last && found.length < limit; version++) {
      const entry = list[version - 1];
      if (entry) found.push(entry);
    }
    return found;
  }
}
