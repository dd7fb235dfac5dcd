import { describe, expect, it } from 'vitest';
import { decideAccount, evolveAccount, initialAccountState, type AccountState } from '../../src/domain/account/account.js';
import type { AccountCommand } from '../../src/domain/account/account.commands.js';
import type { AccountEvent } from '../../src/domain/account/account.events.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';

/** Given past events, when a command is decided, then these events or this refusal. */
const given = (...events: AccountEvent[]) => ({
  when: (command: AccountCommand) => {
    const state = events.reduce<AccountState>(evolveAccount, initialAccountState);
    const outcome = decideAccount(command, state);
    return {
      then: (expected: readonly AccountEvent[]) => expect(outcome).toEqual(expected),
      thenRefused: (code: DomainError['code']) => {
        expect(outcome).toBeInstanceOf(DomainError);
        expect((outcome as DomainError).code).toBe(code);
      },
    };
  },
});

const opened: AccountEvent = { eventType: 'AccountOpened', data: { owner: 'Ann', currency: 'KRW' } };
const deposited = (amount: number): AccountEvent => ({ eventType: 'MoneyDeposited', data: { amount } });
const closed: AccountEvent = { eventType: 'AccountClosed', data: {} };

describe('Account', () => {
  it('opens once', () => {
    given().when({ type: 'OpenAccount', owner: 'Ann', currency: 'KRW' }).then([opened]);
    given(opened).when({ type: 'OpenAccount', owner: 'Ann', currency: 'KRW' }).thenRefused('ACCOUNT.ALREADY_EXISTS');
  });

  it('refuses every command before it is opened', () => {
    given().when({ type: 'Deposit', amount: 1 }).thenRefused('ACCOUNT.NOT_FOUND');
    given().when({ type: 'Withdraw', amount: 1 }).thenRefused('ACCOUNT.NOT_FOUND');
    given().when({ type: 'CloseAccount', hasPendingOutgoingTransfers: false }).thenRefused('ACCOUNT.NOT_FOUND');
    given().when({ type: 'RefundTransfer', amount: 1, transferId: 't' }).thenRefused('ACCOUNT.NOT_FOUND');
  });

  it('deposits and withdraws within the balance', () => {
    given(opened).when({ type: 'Deposit', amount: 500 }).then([deposited(500)]);
    given(opened, deposited(500)).when({ type: 'Withdraw', amount: 500 }).then([{ eventType: 'MoneyWithdrawn', data: { amount: 500 } }]);
  });

  it('never lets the balance go negative', () => {
    given(opened, deposited(500)).when({ type: 'Withdraw', amount: 501 }).thenRefused('ACCOUNT.INSUFFICIENT_FUNDS');
    given(opened, deposited(500)).when({ type: 'DebitForTransfer', amount: 501, transferId: 't' }).thenRefused('ACCOUNT.INSUFFICIENT_FUNDS');
  });

  it('closes only at a zero balance and with no outgoing transfer pending', () => {
    given(opened).when({ type: 'CloseAccount', hasPendingOutgoingTransfers: false }).then([closed]);
    given(opened, deposited(1)).when({ type: 'CloseAccount', hasPendingOutgoingTransfers: false }).thenRefused('ACCOUNT.BALANCE_NOT_ZERO');
    given(opened).when({ type: 'CloseAccount', hasPendingOutgoingTransfers: true }).thenRefused('ACCOUNT.BALANCE_NOT_ZERO');
  });

  it('refuses commands once closed, but still takes a refund back', () => {
    given(opened, closed).when({ type: 'Deposit', amount: 1 }).thenRefused('ACCOUNT.CLOSED');
    given(opened, closed).when({ type: 'Withdraw', amount: 1 }).thenRefused('ACCOUNT.CLOSED');
    given(opened, closed).when({ type: 'CloseAccount', hasPendingOutgoingTransfers: false }).thenRefused('ACCOUNT.CLOSED');
    given(opened, closed)
      .when({ type: 'CreditForTransfer', amount: 1, transferId: 't', currency: 'KRW' })
      .thenRefused('ACCOUNT.CLOSED');
    given(opened, closed)
      .when({ type: 'RefundTransfer', amount: 7, transferId: 't' })
      .then([{ eventType: 'TransferRefunded', data: { amount: 7, transferId: 't' } }]);
  });

  it('credits a transfer only in its own currency', () => {
    given(opened)
      .when({ type: 'CreditForTransfer', amount: 1, transferId: 't', currency: 'USD' })
      .thenRefused('ACCOUNT.CURRENCY_MISMATCH');
    given(opened)
      .when({ type: 'CreditForTransfer', amount: 1, transferId: 't', currency: 'KRW' })
      .then([{ eventType: 'TransferCredited', data: { amount: 1, transferId: 't' } }]);
  });

  it('folds the balance from the events', () => {
    const state = [
      opened,
      deposited(100),
      { eventType: 'TransferDebited', data: { amount: 30, transferId: 't' } } as AccountEvent,
      { eventType: 'TransferRefunded', data: { amount: 30, transferId: 't' } } as AccountEvent,
      { eventType: 'MoneyWithdrawn', data: { amount: 40 } } as AccountEvent,
    ].reduce<AccountState>(evolveAccount, initialAccountState);
    expect(state).toEqual({ status: 'open', owner: 'Ann', currency: 'KRW', balance: 60 });
  });

  it('never lets a balance pass the largest exact integer', () => {
    const rich = deposited(Number.MAX_SAFE_INTEGER - 10);
    given(opened, rich).when({ type: 'Deposit', amount: 10 }).then([deposited(10)]);
    given(opened, rich).when({ type: 'Deposit', amount: 11 }).thenRefused('ACCOUNT.BALANCE_LIMIT');
    given(opened, rich)
      .when({ type: 'CreditForTransfer', amount: 11, transferId: 't', currency: 'KRW' })
      .thenRefused('ACCOUNT.BALANCE_LIMIT');
  });
});
