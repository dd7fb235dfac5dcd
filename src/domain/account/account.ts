import type { Decider } from '../shared/decider.js';
import { DomainError, type DomainErrorCode } from '../shared/domain-error.js';
import { MAX_BALANCE } from '../shared/money.js';
import type { AccountCommand } from './account.commands.js';
import { balanceDelta, type AccountEvent } from './account.events.js';

export type TransferStep = 'debit' | 'credit' | 'refund';

/** A transfer step this account decided: applied, or declined with the refusal's code. */
export interface TransferStepRecord {
  readonly transferId: string;
  readonly step: TransferStep;
  readonly version: number;
  readonly declined?: DomainErrorCode;
}

export type AccountState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open' | 'closed';
      readonly owner: string;
      readonly currency: string;
      readonly balance: number;
      /**
       * The latest transfer steps decided here, oldest first: every step decided after version
       * `stepsFrom` is among them (older ones are in the log). Absent in a state saved before they
       * were kept; the first event applied to such a state starts them.
       */
      readonly steps?: readonly TransferStepRecord[];
      readonly stepsFrom?: number;
    };

export const initialAccountState: AccountState = { status: 'none' };

/** How many decided transfer steps an account state keeps: a retry older than that reads the log. */
export const TRANSFER_STEPS_KEPT = 32;

/**
 * What the account knows of a transfer step, for a step that cannot have been decided at or below
 * `notBefore`: its record; `undecided` when the state shows it was not decided up to `version`; or
 * `look-in-log` with the range of versions the state cannot vouch for.
 */
export type StepKnowledge =
  | { readonly kind: 'decided'; readonly record: TransferStepRecord }
  | { readonly kind: 'undecided' }
  | { readonly kind: 'look-in-log'; readonly fromVersion: number; readonly toVersion: number };

export const transferStepKnowledge = (
  state: AccountState,
  version: number,
  transferId: string,
  step: TransferStep,
  notBefore: number,
): StepKnowledge => {
  if (state.status === 'none') return { kind: 'undecided' };
  const record = keptStep(state, transferId, step);
  if (record) return { kind: 'decided', record };
  // Every step decided above `coveredFrom` is in the state.
  const coveredFrom = state.steps === undefined ? version : (state.stepsFrom ?? version);
  if (notBefore >= coveredFrom) return { kind: 'undecided' };
  return { kind: 'look-in-log', fromVersion: notBefore + 1, toVersion: coveredFrom };
};

/** Pure decision: the events a command produces on this state, or the business refusal. */
export const decideAccount = (command: AccountCommand, state: AccountState): DomainError | readonly AccountEvent[] => {
  if (command.type === 'OpenAccount') {
    if (state.status !== 'none') return new DomainError('ACCOUNT.ALREADY_EXISTS', 'an account with this id exists already');
    return [{ eventType: 'AccountOpened', data: { owner: command.owner, currency: command.currency } }];
  }
  if (state.status === 'none') return new DomainError('ACCOUNT.NOT_FOUND', 'no such account');
  if (command.type === 'DebitForTransfer' || command.type === 'CreditForTransfer' || command.type === 'RefundTransfer') {
    return decideTransferStep(command, state);
  }
  if (state.status === 'closed') return new DomainError('ACCOUNT.CLOSED', 'the account is closed');
  switch (command.type) {
    case 'Deposit':
      if (state.balance + command.amount > MAX_BALANCE) return overLimit(state.balance, command.amount);
      return [{ eventType: 'MoneyDeposited', data: { amount: command.amount } }];
    case 'Withdraw':
      if (state.balance < command.amount) return insufficient(state.balance, command.amount);
      return [{ eventType: 'MoneyWithdrawn', data: { amount: command.amount } }];
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

type TransferStepCommand = Extract<AccountCommand, { type: 'DebitForTransfer' | 'CreditForTransfer' | 'RefundTransfer' }>;
type ExistingAccount = Exclude<AccountState, { status: 'none' }>;

const STEP_OF: Record<TransferStepCommand['type'], TransferStep> = { DebitForTransfer: 'debit', CreditForTransfer: 'credit', RefundTransfer: 'refund' };

/**
 * A transfer step is decided once, by the account: applied, or declined with an event of its own,
 * so that a retry or a competing process finds the outcome here and never decides it again. A step
 * the state shows decided already decides nothing. (The caller looks in the log first when the state
 * cannot vouch for the step's whole range: `transferStepKnowledge`.)
 */
const decideTransferStep = (command: TransferStepCommand, state: ExistingAccount): readonly AccountEvent[] => {
  const { transferId, amount } = command;
  if (keptStep(state, transferId, STEP_OF[command.type])) return [];
  switch (command.type) {
    // A refund gives back money that left this account; refusing it would destroy money.
    case 'RefundTransfer':
      return [{ eventType: 'TransferRefunded', data: { amount, transferId } }];
    case 'DebitForTransfer': {
      const code = state.status === 'closed' ? 'ACCOUNT.CLOSED' : state.balance < amount ? 'ACCOUNT.INSUFFICIENT_FUNDS' : undefined;
      if (code) return [{ eventType: 'TransferDebitDeclined', data: { transferId, code } }];
      return [{ eventType: 'TransferDebited', data: { amount, transferId } }];
    }
    case 'CreditForTransfer': {
      const code =
        state.status === 'closed'
          ? 'ACCOUNT.CLOSED'
          : state.currency !== command.currency
            ? 'ACCOUNT.CURRENCY_MISMATCH'
            : state.balance + amount > MAX_BALANCE
              ? 'ACCOUNT.BALANCE_LIMIT'
              : undefined;
      if (code) return [{ eventType: 'TransferCreditDeclined', data: { transferId, code } }];
      return [{ eventType: 'TransferCredited', data: { amount, transferId } }];
    }
    default: {
      const unreachable: never = command;
      throw new Error(`unknown transfer step ${JSON.stringify(unreachable)}`);
    }
  }
};

/** The step's record among those the state keeps. */
const keptStep = (state: ExistingAccount, transferId: string, step: TransferStep): TransferStepRecord | undefined =>
  state.steps?.find((r) => r.transferId === transferId && r.step === step);

const stepRecord = (event: AccountEvent, version: number): TransferStepRecord | undefined => {
  switch (event.eventType) {
    case 'TransferDebited':
      return { transferId: event.data.transferId, step: 'debit', version };
    case 'TransferCredited':
      return { transferId: event.data.transferId, step: 'credit', version };
    case 'TransferRefunded':
      return { transferId: event.data.transferId, step: 'refund', version };
    case 'TransferDebitDeclined':
      return { transferId: event.data.transferId, step: 'debit', version, declined: event.data.code };
    case 'TransferCreditDeclined':
      return { transferId: event.data.transferId, step: 'credit', version, declined: event.data.code };
    default:
      return undefined;
  }
};

/** Keeps the latest `TRANSFER_STEPS_KEPT` steps; `stepsFrom` moves up past the ones let go. */
const withStep = (state: ExistingAccount, event: AccountEvent, version: number): ExistingAccount => {
  // A state saved before steps were kept vouches for nothing up to the version before this event.
  const steps = state.steps ?? [];
  const stepsFrom = state.steps === undefined ? version - 1 : (state.stepsFrom ?? 0);
  const record = stepRecord(event, version);
  if (!record) return state.steps === undefined ? { ...state, steps, stepsFrom } : state;
  const kept = [...steps, record];
  if (kept.length <= TRANSFER_STEPS_KEPT) return { ...state, steps: kept, stepsFrom };
  const [dropped, ...rest] = kept;
  return { ...state, steps: rest, stepsFrom: dropped?.version ?? stepsFrom };
};

const overLimit = (balance: number, amount: number): DomainError =>
  new DomainError('ACCOUNT.BALANCE_LIMIT', `the balance ${balance} plus ${amount} would exceed ${MAX_BALANCE}`);

const insufficient = (balance: number, amount: number): DomainError =>
  new DomainError('ACCOUNT.INSUFFICIENT_FUNDS', `the balance ${balance} does not cover ${amount}`);

/**
 * Pure state transition. Applying the events of a stream in version order rebuilds the account;
 * `version` is the event's own (the transfer steps decided here are kept with theirs).
 */
export const evolveAccount = (state: AccountState, event: AccountEvent, version: number): AccountState => {
  switch (event.eventType) {
    case 'AccountOpened':
      return { status: 'open', owner: event.data.owner, currency: event.data.currency, balance: 0, steps: [], stepsFrom: 0 };
    case 'AccountClosed':
      if (state.status === 'none') return state;
      return withStep({ ...state, status: 'closed' }, event, version);
    case 'MoneyDeposited':
    case 'MoneyWithdrawn':
    case 'TransferDebited':
    case 'TransferCredited':
    case 'TransferRefunded':
    case 'TransferDebitDeclined':
    case 'TransferCreditDeclined':
      if (state.status === 'none') return state;
      return withStep({ ...state, balance: state.balance + balanceDelta(event) }, event, version);
    default: {
      const unreachable: never = event;
      throw new Error(`unknown account event ${JSON.stringify(unreachable)}`);
    }
  }
};

/** The account as one value (see `Decider`). */
export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: initialAccountState,
  decide: decideAccount,
  evolve: evolveAccount,
};
