import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import type { AccountView, TransactionEntry, TransferView } from '../../src/domain/ports/read-model.port.js';
import { evolveAccountView, transactionEntry } from '../../src/application/projections/account-view.js';
import { evolveTransferView } from '../../src/application/projections/transfer-view.js';

export interface FoldedReadModel {
  readonly accounts: Map<string, AccountView>;
  readonly transactions: Map<string, TransactionEntry[]>;
  readonly transfers: Map<string, TransferView>;
}

/** What the read model must equal: every stream of the log folded in version order. */
export const foldLog = (events: readonly EventEnvelope[]): FoldedReadModel => {
  const ordered = [...events].sort((a, b) => a.version - b.version);
  const accounts = new Map<string, AccountView>();
  const transactions = new Map<string, TransactionEntry[]>();
  const transfers = new Map<string, TransferView>();
  for (const event of ordered) {
    if (event.aggregateType === 'account') {
      const view = evolveAccountView(accounts.get(event.aggregateId), event);
      accounts.set(event.aggregateId, view);
      const entry = transactionEntry(event, view);
      if (entry) transactions.set(event.aggregateId, [...(transactions.get(event.aggregateId) ?? []), entry]);
    } else {
      transfers.set(event.aggregateId, evolveTransferView(transfers.get(event.aggregateId), event));
    }
  }
  return { accounts, transactions, transfers };
};
