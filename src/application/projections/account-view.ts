import type { AccountEvent } from '../../domain/account/account.events.js';
import { balanceDelta } from '../../domain/account/account.events.js';
import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { AccountView, TransactionEntry, TransactionType } from '../../domain/ports/read-model.port.js';

/** A view refuses an event it cannot apply; the projection parks the aggregate instead of guessing. */
export class UnapplicableEventError extends Error {
  override readonly name = 'UnapplicableEventError';
}

/** The transaction each event is; a declined transfer step moves no money and is none. */
const TRANSACTION_TYPES: Record<AccountEvent['eventType'], TransactionType | null> = {
  AccountOpened: 'opened',
  MoneyDeposited: 'deposit',
  MoneyWithdrawn: 'withdrawal',
  TransferDebited: 'transfer-out',
  TransferCredited: 'transfer-in',
  TransferRefunded: 'transfer-refund',
  TransferDebitDeclined: null,
  TransferCreditDeclined: null,
  AccountClosed: 'closed',
};

const asAccountEvent = (envelope: EventEnvelope): AccountEvent => {
  if (!(envelope.eventType in TRANSACTION_TYPES)) {
    throw new UnapplicableEventError(`unknown account event type ${envelope.eventType}`);
  }
  return envelope as unknown as AccountEvent;
};

export const evolveAccountView = (view: AccountView | undefined, envelope: EventEnvelope): AccountView => {
  const event = asAccountEvent(envelope);
  if (envelope.version !== (view?.version ?? 0) + 1) {
    throw new UnapplicableEventError(`version ${envelope.version} does not follow ${view?.version ?? 0}`);
  }
  if (event.eventType === 'AccountOpened') {
    if (view) throw new UnapplicableEventError('the account is opened twice');
    return {
      accountId: envelope.aggregateId,
      owner: event.data.owner,
      currency: event.data.currency,
      balance: 0,
      status: 'open',
      version: envelope.version,
      openedAt: envelope.timestamp,
      updatedAt: envelope.timestamp,
    };
  }
  if (!view) throw new UnapplicableEventError(`${event.eventType} before the account was opened`);
  const balance = view.balance + balanceDelta(event);
  if (!Number.isSafeInteger(balance) || balance < 0) {
    throw new UnapplicableEventError(`${event.eventType} would make the balance ${balance}`);
  }
  const { stale: _stale, ...current } = view;
  return {
    ...current,
    balance,
    status: event.eventType === 'AccountClosed' ? 'closed' : view.status,
    version: envelope.version,
    updatedAt: envelope.timestamp,
  };
};

/** The transaction an event adds to the account's history; none for an event that is not one. */
export const transactionEntry = (envelope: EventEnvelope, after: AccountView): TransactionEntry | undefined => {
  const event = asAccountEvent(envelope);
  const type = TRANSACTION_TYPES[event.eventType];
  if (type === null) return undefined;
  const amount = 'amount' in event.data ? event.data.amount : 0;
  const transferId = 'transferId' in event.data ? event.data.transferId : undefined;
  return {
    accountId: envelope.aggregateId,
    version: envelope.version,
    type,
    amount,
    balanceAfter: after.balance,
    at: envelope.timestamp,
    ...(transferId === undefined ? {} : { transferId }),
  };
};
