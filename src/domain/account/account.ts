import { DomainError } from '../shared/domain-error.js';
import { MAX_BALANCE } from '../shared/money.js';
import type { AccountCommand } from './account.commands.js';
import { balanceDelta, type AccountEvent } from './account.events.js';

export type AccountState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open' | 'closed';
      readonly owner: string;
      readonly currency: string;
      readonly balance: number;
    };

export const initialAccountState: AccountState = { status: 'none' };

/** Pure decision: the events a command produces on this state, or the business refusal. */
export const decideAccount = (command: AccountCommand, state: AccountState): DomainError | readonly AccountEvent[] => {
  if (command.type === 'OpenAccount') {
    if (state.status !== 'none') return new DomainError('ACCOUNT.ALREADY_EXISTS', 'an account with this id exists already');
    return [{ eventType: 'AccountOpened', data: { owner: command.owner, currency: command.currency } }];
  }
  if (state.status === 'none') return new DomainError('ACCOUNT.NOT_FOUND', 'no such account');
  // A refund gives back money that left this account; refusing it would destroy money.
  if (command.type === 'RefundTransfer') {
    return [{ eventType: 'TransferRefunded', data: { amount: command.amount, transferId: command.transferId } }];
  }
  if (state.status === 'closed') return new DomainError('ACCOUNT.CLOSED', 'the account is closed');
  switch (command.type) {
    case 'Deposit':
      if (state.balance + command.amount > MAX_BALANCE) return overLimit(state.balance, command.amount);
      return [{ eventType: 'MoneyDeposited', data: { amount: command.amount } }];
    case 'Withdraw':
      if (state.balance < command.amount) return insufficient(state.balance, command.amount);
      return [{ eventType: 'MoneyWithdrawn', data: { amount: command.amount } }];
    case 'DebitForTransfer':
      if (state.balance < command.amount) return insufficient(state.balance, command.amount);
      return [{ eventType: 'TransferDebited', data: { amount: command.amount, transferId: command.transferId } }];
    case 'CreditForTransfer':
      if (state.currency !== command.currency) {
        return new DomainError('ACCOUNT.CURRENCY_MISMATCH', `the account holds ${state.currency}, not ${command.currency}`);
      }
      if (state.balance + command.amount > MAX_BALANCE) return overLimit(state.balance, command.amount);
      return [{ eventType: 'TransferCredited', data: { amount: command.amount, transferId: command.transferId } }];
    case 'CloseAccount':
      if (state.balance !== 0) return new DomainError('ACCOUNT.BALANCE_NOT_ZERO', `the balance is ${state.balance}, not 0`);
      if (command.hasPendingOutgoingTransfers) {
        return new DomainError('ACCOUNT.BALANCE_NOT_ZERO', 'a transfer from this account is still pending');
      }
      return [{ eventType: 'AccountClosed', data: {} }];
    default: {
      const unreachable: never = command;
      throw new Error(`unknown account command ${JSON.stringify(unreachable)}`);
    }
  }
};

const overLimit = (balance: number, amount: number): DomainError =>
  new DomainError('ACCOUNT.BALANCE_LIMIT', `the balance ${balance} plus ${amount} would exceed ${MAX_BALANCE}`);

const insufficient = (balance: number, amount: number): DomainError =>
  new DomainError('ACCOUNT.INSUFFICIENT_FUNDS', `the balance ${balance} does not cover ${amount}`);

/** Pure state transition. Applying the events of a stream in version order rebuilds the account. */
export const evolveAccount = (state: AccountState, event: AccountEvent): AccountState => {
  switch (event.eventType) {
    case 'AccountOpened':
      return { status: 'open', owner: event.data.owner, currency: event.data.currency, balance: 0 };
    case 'AccountClosed':
      if (state.status === 'none') return state;
      return { ...state, status: 'closed' };
    case 'MoneyDeposited':
    case 'MoneyWithdrawn':
    case 'TransferDebited':
    case 'TransferCredited':
    case 'TransferRefunded':
      if (state.status === 'none') return state;
      return { ...state, balance: state.balance + balanceDelta(event) };
    default: {
      const unreachable: never = event;
      throw new Error(`unknown account event ${JSON.stringify(unreachable)}`);
    }
  }
};
