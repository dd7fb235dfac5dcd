import type { DecidedEvent } from '../shared/event-envelope.js';

export type TransferStep = 'debit' | 'credit' | 'refund';

export type TransferRequested = DecidedEvent<
  'TransferRequested',
  { readonly from: string; readonly to: string; readonly amount: number }
>;
/** The account version the process will write its step at (see ADR 0007: steps apply exactly once). */
export type TransferStepClaimed = DecidedEvent<'TransferStepClaimed', { readonly step: TransferStep; readonly slot: number }>;
export type TransferDebitApplied = DecidedEvent<
  'TransferDebitApplied',
  { readonly currency: string; readonly accountVersion: number }
>;
export type TransferDebitRefused = DecidedEvent<'TransferDebitRefused', { readonly reason: string }>;
export type TransferCreditApplied = DecidedEvent<'TransferCreditApplied', { readonly accountVersion: number }>;
export type TransferCreditRefused = DecidedEvent<'TransferCreditRefused', { readonly reason: string }>;
export type TransferRefundApplied = DecidedEvent<'TransferRefundApplied', { readonly accountVersion: number }>;

export type TransferEvent =
  | TransferRequested
  | TransferStepClaimed
  | TransferDebitApplied
  | TransferDebitRefused
  | TransferCreditApplied
  | TransferCreditRefused
  | TransferRefundApplied;

export type TransferEventType = TransferEvent['eventType'];
