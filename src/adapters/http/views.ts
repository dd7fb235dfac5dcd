import type { AccountView, TransactionEntry, TransferView } from '../../domain/ports/read-model.port.js';

/** Read-model views as the contract shows them: internal fields stay inside. */

export const accountBody = (view: AccountView) => ({
  accountId: view.accountId,
  owner: view.owner,
  currency: view.currency,
  balance: view.balance,
  status: view.status,
  version: view.version,
  openedAt: view.openedAt,
  updatedAt: view.updatedAt,
});

export const transactionBody = (entry: TransactionEntry) => ({
  version: entry.version,
  type: entry.type,
  amount: entry.amount,
  balanceAfter: entry.balanceAfter,
  at: entry.at,
  ...(entry.transferId === undefined ? {} : { transferId: entry.transferId }),
});

/** `reason` is set while a refused credit is being given back; clients see it once the transfer has failed. */
export const transferBody = (view: TransferView) => ({
  transferId: view.transferId,
  from: view.from,
  to: view.to,
  amount: view.amount,
  status: view.status,
  ...(view.status === 'failed' && view.reason !== undefined ? { reason: view.reason } : {}),
});
