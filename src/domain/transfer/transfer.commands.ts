import type { TransferSettled } from './transfer.events.js';

/**
 * What a transfer's own stream is asked to record: its request, and its end once the accounts have
 * decided its steps (ADR 0029). The steps themselves are account commands.
 */
export type TransferCommand =
  | {
      readonly type: 'RequestTransfer';
      readonly from: string;
      readonly to: string;
      readonly amount: number;
      /** Each account's version when the transfer was accepted; 0 when it did not exist. */
      readonly fromVersion: number;
      readonly toVersion: number;
    }
  | { readonly type: 'SettleTransfer'; readonly settlement: TransferSettled };
