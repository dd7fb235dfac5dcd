import type { DomainErrorCode } from '../shared/domain-error.js';
import type { DecidedEvent } from '../shared/event-envelope.js';

export type AccountOpened = DecidedEvent<'AccountOpened', { readonly owner: string; readonly currency: string }>;
export type MoneyDeposited = DecidedEvent<'MoneyDeposited', { readonly amount: number }>;
export type MoneyWithdrawn = DecidedEvent<'MoneyWithdrawn', { readonly amount: number }>;
export type TransferDebited = DecidedEvent<'TransferDebited', { readonly amount: number; readonly transferId: string }>;
export type TransferCredited = DecidedEvent<'TransferCredited', { readonly amount: number; readonly transferId: string }>;
export type TransferRefunded = DecidedEvent<'TransferRefunded', { readonly amount: number; readonly transferId: string }>;
export type AccountClosed = DecidedEvent<'AccountClosed', Record<string, never>>;
/**
 * A transfer step the account refused, recorded so that the refusal is decided once, as an
 * application is: a retry or a competing process finds it and cannot apply the step afterwards
 * (ADR 0029). It moves no money and is not a transaction.
 */
export type TransferDebitDeclined = DecidedEvent<'TransferDebitDeclined', { readonly transferId: string; readonly code: DomainErrorCode }>;
export type TransferCreditDeclined = DecidedEvent<'TransferCreditDeclined', { readonly transferId: string; readonly code: DomainErrorCode }>;

export type AccountEvent =
  | AccountOpened
  | MoneyDeposited
  | MoneyWithdrawn
  | TransferDebited
  | TransferCredited
  | TransferRefunded
  | TransferDebitDeclined
  | TransferCreditDeclined
  | AccountClosed;

export type AccountEventType = AccountEvent['eventType'];

export const ACCOUNT_EVENT_TYPES: readonly AccountEventType[] = [
  'AccountOpened',
  'MoneyDeposited',
  'MoneyWithdrawn',
  'TransferDebited',
  'TransferCredited',
  'TransferRefunded',
  'TransferDebitDeclined',
  'TransferCreditDeclined',
  'AccountClosed',
];

/** Signed effect of an event on the balance. */
export const balanceDelta = (event: AccountEvent): number => {
  switch (event.eventType) {
    case 'MoneyDeposited':
    case 'TransferCredited':
    case 'TransferRefunded':
      return event.data.amount;
    case 'MoneyWithdrawn':
    case 'TransferDebited':
      return -event.data.amount;
    case 'AccountOpened':
    case 'AccountClosed':
    case 'TransferDebitDeclined':
    case 'TransferCreditDeclined':
      return 0;
    default: {
      const unreachable: never = event;
      throw new Error(`unknown account event ${JSON.stringify(unreachable)}`);
    }
  }
};
