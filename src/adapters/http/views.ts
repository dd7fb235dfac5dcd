import type { AccountView, TransactionEntry, TransferView } from '../../domain/ports/read-model.port.js';

/** What every query does while its views are not known to be current (ADR 0030), for the OpenAPI descriptions. */
export const NOT_KNOWN_CURRENT =
  'A view that is not known to be current (its projection is replaying the log, after a full cluster restart for instance) is not answered as if it were: ' +
  'an id whose stream exists is never 404, no answer goes below a version already answered; 503 /problems/read-model-lagging with Retry-After instead, ' +
  'and /ready answers 503 while it lasts.';

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
