import type { AccountCommand } from '../account/account.commands.js';
import { DomainError, type DomainErrorCode } from '../shared/domain-error.js';
import type { Decider } from '../shared/decider.js';
import type { TransferCommand } from './transfer.commands.js';
import type { TransferEvent, TransferSettled, TransferStep } from './transfer.events.js';

interface TransferTerms {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

/** The accounts' versions when the transfer was accepted (see `TransferRequested`). */
interface SeenVersions {
  readonly fromVersion?: number;
  readonly toVersion?: number;
}

export type TransferState =
  | { readonly status: 'none' }
  | (TransferTerms &
      SeenVersions & {
        readonly status: 'pending';
        readonly stage: TransferStep;
        readonly currency?: string;
        /** Why the credit was refused, while the debit is being given back. */
        readonly reason?: string;
        /** Slots claimed by the earlier protocol (ADR 0007), for transfers it left pending. */
        readonly claims: Readonly<Partial<Record<TransferStep, number>>>;
      })
  | (TransferTerms & { readonly status: 'completed' })
  | (TransferTerms & { readonly status: 'failed'; readonly reason: string });

export const initialTransferState: TransferState = { status: 'none' };

export const evolveTransfer = (state: TransferState, event: TransferEvent): TransferState => {
  if (event.eventType === 'TransferRequested') {
    return { status: 'pending', stage: 'debit', ...event.data, claims: {} };
  }
  if (state.status !== 'pending') return state;
  const terms = { from: state.from, to: state.to, amount: state.amount };
  switch (event.eventType) {
    case 'TransferStepClaimed':
      return { ...state, claims: { ...state.claims, [event.data.step]: event.data.slot } };
    case 'TransferDebitApplied':
      return { ...state, stage: 'credit', currency: event.data.currency };
    case 'TransferDebitRefused':
      return { ...terms, status: 'failed', reason: event.data.reason };
    case 'TransferCreditApplied':
      return { ...terms, status: 'completed' };
    case 'TransferCreditRefused':
      return { ...state, stage: 'refund', reason: event.data.reason };
    case 'TransferRefundApplied':
      return { ...terms, status: 'failed', reason: state.reason ?? 'refunded' };
    case 'TransferSettled':
      return event.data.status === 'completed' ? { ...terms, status: 'completed' } : { ...terms, status: 'failed', reason: event.data.reason ?? 'refunded' };
    default: {
      const unreachable: never = event;
      throw new Error(`unknown transfer event ${JSON.stringify(unreachable)}`);
    }
  }
};

/**
 * What the process manager does next for a transfer: one account command, or nothing when it has
 * ended. `notBefore` is a version of the account at or above which the step cannot have been
 * decided; `absent` says the account did not exist when the transfer was accepted, so the step is
 * refused without asking it.
 */
export interface TransferAction {
  readonly step: TransferStep;
  readonly accountId: string;
  readonly command: AccountCommand;
  readonly notBefore: number;
  readonly absent: boolean;
}

export const nextTransferAction = (transferId: string, state: TransferState): TransferAction | undefined => {
  if (state.status !== 'pending') return undefined;
  const step = state.stage;
  // The debit and its refund are the source account's steps, the credit the destination's.
  const onSource = step !== 'credit';
  const seen = onSource ? state.fromVersion : state.toVersion;
  return {
    step,
    accountId: onSource ? state.from : state.to,
    command: stepCommand(step, transferId, state),
    // A transfer accepted before the versions were recorded: its claim, if any, is where the earlier
    // protocol wrote the step; without one, the step was not attempted, but the log is read from the start.
    notBefore: seen ?? Math.max(0, (state.claims[step] ?? 1) - 1),
    // A refund gives back what the source account applied: that account exists.
    absent: step !== 'refund' && seen === 0,
  };
};

const stepCommand = (step: TransferStep, transferId: string, terms: TransferTerms & { readonly currency?: string }): AccountCommand => {
  switch (step) {
    case 'debit':
      return { type: 'DebitForTransfer', amount: terms.amount, transferId };
    case 'credit':
      return { type: 'CreditForTransfer', amount: terms.amount, transferId, currency: terms.currency ?? '' };
    case 'refund':
      return { type: 'RefundTransfer', amount: terms.amount, transferId };
    default: {
      const unreachable: never = step;
      throw new Error(`unknown transfer stage ${String(unreachable)}`);
    }
  }
};

/** The event that records a step's outcome on the transfer's own stream. */
export const recordStepApplied = (step: TransferStep, accountVersion: number, currency: string): TransferEvent => {
  switch (step) {
    case 'debit':
      return { eventType: 'TransferDebitApplied', data: { currency, accountVersion } };
    case 'credit':
      return { eventType: 'TransferCreditApplied', data: { accountVersion } };
    case 'refund':
      return { eventType: 'TransferRefundApplied', data: { accountVersion } };
    default: {
      const unreachable: never = step;
      throw new Error(`unknown transfer step ${String(unreachable)}`);
    }
  }
};

const REASONS: Partial<Record<DomainErrorCode, string>> = {
  'ACCOUNT.NOT_FOUND': 'account-not-found',
  'ACCOUNT.CLOSED': 'account-closed',
  'ACCOUNT.INSUFFICIENT_FUNDS': 'insufficient-funds',
  'ACCOUNT.CURRENCY_MISMATCH': 'currency-mismatch',
  'ACCOUNT.BALANCE_LIMIT': 'balance-limit',
};

/** `reason` values a failed transfer reports: `source-…` for the debit, `destination-…` for the credit. */
export const refusalReason = (step: TransferStep, code: DomainErrorCode): string =>
  `${step === 'debit' ? 'source' : 'destination'}-${REASONS[code] ?? code.toLowerCase()}`;

export const recordStepRefused = (step: TransferStep, code: DomainErrorCode): TransferEvent => {
  const reason = refusalReason(step, code);
  if (step === 'debit') return { eventType: 'TransferDebitRefused', data: { reason } };
  if (step === 'credit') return { eventType: 'TransferCreditRefused', data: { reason } };
  // The account aggregate never refuses a refund; reaching here is a bug, not a business outcome.
  throw new Error(`a refund was refused: ${code}`);
};

/**
 * The transfer's end, from the outcomes of the steps taken from a pending state until it ended:
 * the one event recorded on the transfer's stream for all of them.
 */
export const settlement = (ended: TransferState, outcomes: readonly TransferEvent[]): TransferSettled => {
  if (ended.status !== 'completed' && ended.status !== 'failed') throw new Error(`a transfer settles once it has ended, not while ${ended.status}`);
  const steps: Partial<Record<TransferStep, number>> = {};
  let currency: string | undefined;
  for (const outcome of outcomes) {
    if (outcome.eventType === 'TransferDebitApplied') {
      steps.debit = outcome.data.accountVersion;
      currency = outcome.data.currency;
    } else if (outcome.eventType === 'TransferCreditApplied') steps.credit = outcome.data.accountVersion;
    else if (outcome.eventType === 'TransferRefundApplied') steps.refund = outcome.data.accountVersion;
  }
  return {
    eventType: 'TransferSettled',
    data: {
      status: ended.status,
      ...(ended.status === 'failed' ? { reason: ended.reason } : {}),
      ...(currency === undefined ? {} : { currency }),
      steps,
    },
  };
};

/** The deterministic id of the account event a step writes: it identifies the step on retry. */
export const stepEventId = (transferId: string, step: TransferStep): string => `${transferId}.${step}`;

/**
 * Pure decision. A request opens the transfer's stream, once; its settlement records its end once:
 * a transfer another process settled already decides nothing.
 */
export const decideTransfer = (command: TransferCommand, state: TransferState): DomainError | readonly TransferEvent[] => {
  switch (command.type) {
    case 'RequestTransfer': {
      if (command.from === command.to) return new DomainError('TRANSFER.SAME_ACCOUNT', '`from` and `to` must differ');
      if (state.status !== 'none') return new DomainError('TRANSFER.ALREADY_EXISTS', 'a transfer with this id exists already');
      const { from, to, amount, fromVersion, toVersion } = command;
      return [{ eventType: 'TransferRequested', data: { from, to, amount, fromVersion, toVersion } }];
    }
    case 'SettleTransfer':
      return state.status === 'pending' ? [command.settlement] : [];
    default: {
      const unreachable: never = command;
      throw new Error(`unknown transfer command ${JSON.stringify(unreachable)}`);
    }
  }
};

/** The transfer as one value (see `Decider`); its state does not depend on event versions. */
export const transferDecider: Decider<TransferCommand, TransferEvent, TransferState> = {
  initialState: initialTransferState,
  decide: decideTransfer,
  evolve: (state, event) => evolveTransfer(state, event),
};
