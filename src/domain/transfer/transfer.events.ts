import type { TransferStep } from '../account/account.js';
import type { DecidedEvent } from '../shared/event-envelope.js';

export type { TransferStep };

export type TransferRequested = DecidedEvent<
  'TransferRequested',
  {
    readonly from: string;
    readonly to: string;
    readonly amount: number;
    /**
     * Each account's version as seen when the transfer was accepted: its steps come later, so they
     * are above it (a retry looks no lower); 0 when the account did not exist, and the step then
     * fails without asking it (ADR 0029). Absent in transfers accepted before they were recorded.
     */
    readonly fromVersion?: number;
    readonly toVersion?: number;
  }
>;
/** Written by the earlier protocol only (ADR 0007); still read, never written (ADR 0029). */
export type TransferStepClaimed = DecidedEvent<'TransferStepClaimed', { readonly step: TransferStep; readonly slot: number }>;
export type TransferDebitApplied = DecidedEvent<
  'TransferDebitApplied',
  { readonly currency: string; readonly accountVersion: number }
>;
export type TransferDebitRefused = DecidedEvent<'TransferDebitRefused', { readonly reason: string }>;
export type TransferCreditApplied = DecidedEvent<'TransferCreditApplied', { readonly accountVersion: number }>;
export type TransferCreditRefused = DecidedEvent<'TransferCreditRefused', { readonly reason: string }>;
export type TransferRefundApplied = DecidedEvent<'TransferRefundApplied', { readonly accountVersion: number }>;
/**
 * How the transfer ended, recorded once it has: its outcome, why it failed, and the account
 * versions its steps were decided at (those this run decided). The steps themselves are decided and
 * kept by the accounts (ADR 0029), so the transfer records only its end. The `…Applied` and
 * `…Refused` events above are what earlier versions recorded after each step; still read.
 */
export type TransferSettled = DecidedEvent<
  'TransferSettled',
  {
    readonly status: 'completed' | 'failed';
    readonly reason?: string;
    readonly currency?: string;
    readonly steps: Readonly<Partial<Record<TransferStep, number>>>;
  }
>;

export type TransferEvent =
  | TransferRequested
  | TransferStepClaimed
  | TransferDebitApplied
  | TransferDebitRefused
  | TransferCreditApplied
  | TransferCreditRefused
  | TransferRefundApplied
  | TransferSettled;

export type TransferEventType = TransferEvent['eventType'];
