import type { AccountCommand } from '../account/account.commands.js';
import { DomainError, type DomainErrorCode } from '../shared/domain-error.js';
import type { TransferEvent, TransferStep } from './transfer.events.js';

interface TransferTerms {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

export type TransferState =
  | { readonly status: 'none' }
  | (TransferTerms & {
      readonly status: 'pending';
      readonly stage: TransferStep;
      readonly currency?: string;
      /** Why the credit was refused, while the debit is being given back. */
      readonly reason?: string;
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
    default: {
      const unreachable: never = event;
      throw new Error(`unknown transfer event ${JSON.stringify(unreachable)}`);
    }
  }
};

/** What the process manager does next for a transfer: one account command, or nothing when it has ended. */
export interface TransferAction {
  readonly step: TransferStep;
  readonly accountId: string;
  readonly command: AccountCommand;
}

export const nextTransferAction = (transferId: string, state: TransferState): TransferAction | undefined => {
  if (state.status !== 'pending') return undefined;
  switch (state.stage) {
    case 'debit':
      return { step: 'debit', accountId: state.from, command: { type: 'DebitForTransfer', amount: state.amount, transferId } };
    case 'credit':
      return {
        step: 'credit',
        accountId: state.to,
        command: { type: 'CreditForTransfer', amount: state.amount, transferId, currency: state.currency ?? '' },
      };
    case 'refund':
      return { step: 'refund', accountId: state.from, command: { type: 'RefundTransfer', amount: state.amount, transferId } };
    default: {
      const unreachable: never = state.stage;
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

export const recordStepRefused = (step: TransferStep, error: DomainError): TransferEvent => {
  const reason = refusalReason(step, error.code);
  if (step === 'debit') return { eventType: 'TransferDebitRefused', data: { reason } };
  if (step === 'credit') return { eventType: 'TransferCreditRefused', data: { reason } };
  // The account aggregate never refuses a refund; reaching here is a bug, not a business outcome.
  throw new Error(`a refund was refused: ${error.code}`);
};

/** The deterministic id of the account event a step writes: it identifies the step on retry. */
export const stepEventId = (transferId: string, step: TransferStep): string => `${transferId}.${step}`;

export interface TransferRequest {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
}

export const decideTransferRequest = (request: TransferRequest, state: TransferState): DomainError | readonly TransferEvent[] => {
  if (request.from === request.to) return new DomainError('TRANSFER.SAME_ACCOUNT', '`from` and `to` must differ');
  if (state.status !== 'none') return new DomainError('TRANSFER.ALREADY_EXISTS', 'a transfer with this id exists already');
  return [{ eventType: 'TransferRequested', data: { from: request.from, to: request.to, amount: request.amount } }];
};
