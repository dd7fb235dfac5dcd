/**
 * The checks of every fault run: the log in PostgreSQL against what the clients were answered.
 * Pure functions of their inputs, so that a hand-made history can show that each check fails when
 * it should (`test/faults/checker.unit.spec.ts`); the harness only gathers the inputs.
 */
import type { LogRow } from './seen-against-log.js';

/** A command the load sent, as the checker needs it. */
export interface CheckedCommand {
  readonly kind: 'deposit' | 'withdrawal' | 'transfer';
  readonly account: string;
  readonly amount: number;
}

/** A command and the final answer it got: 2xx acknowledged, anything else refused. */
export interface Answered extends CheckedCommand {
  readonly status: number;
  /** The transfer's id, from the answer of an accepted transfer. */
  readonly transferId?: string;
}

export interface Tally {
  /** Acknowledged commands whose event is not in the log. */
  readonly lost: number;
  /** Commands whose event is in the log more than once, or at all when they were refused. */
  readonly duplicated: number;
  /** Accounts whose balance went below zero at some version. */
  readonly negativeBalances: number;
  /** Accepted transfers whose debit is not matched by exactly one credit or refund, or a step decided twice. */
  readonly unbalancedTransfers: number;
  /** Accepted transfers whose stream has no end. */
  readonly unfinishedTransfers: number;
}

export interface FoldedAccount {
  readonly balance: number;
  readonly version: number;
  readonly everNegative: boolean;
}

/** The events that end a transfer's stream: today's settlement and the ends of older protocols. */
const TRANSFER_ENDS: ReadonlySet<string> = new Set(['TransferSettled', 'TransferCreditApplied', 'TransferRefundApplied', 'TransferDebitRefused']);

const DELTAS: Readonly<Record<string, number>> = { MoneyDeposited: 1, TransferCredited: 1, TransferRefunded: 1, MoneyWithdrawn: -1, TransferDebited: -1 };

/** Each account's stream folded in version order (rows sorted by account and version): balance, version, and whether it ever went below 0. */
export const fold = (rows: readonly LogRow[]): Map<string, FoldedAccount> => {
  const accounts = new Map<string, FoldedAccount>();
  for (const row of rows) {
    if (row.aggregate_type !== 'account') continue;
    const before = accounts.get(row.aggregate_id) ?? { balance: 0, version: 0, everNegative: false };
    const balance = before.balance + (DELTAS[row.event_type] ?? 0) * Number(row.payload['amount'] ?? 0);
    accounts.set(row.aggregate_id, { balance, version: row.version, everNegative: before.everNegative || balance < 0 });
  }
  return accounts;
};

/** Whether every transfer stream in the log has ended. */
export const everyTransferEnded = (rows: readonly LogRow[]): boolean => {
  const types = new Map<string, string[]>();
  for (const row of rows) if (row.aggregate_type === 'transfer') types.set(row.aggregate_id, [...(types.get(row.aggregate_id) ?? []), row.event_type]);
  return [...types.values()].every((stream) => stream.some((t) => TRANSFER_ENDS.has(t)));
};

/**
 * Every acknowledged command exactly once in the log and every refused one not at all (the load
 * makes each command's amount unique, so the log tells each command's events apart); money moves
 * only between accounts; no balance ever negative; every accepted transfer ended.
 */
export const tally = (rows: readonly LogRow[], answered: readonly Answered[]): Tally => {
  let lost = 0;
  let duplicated = 0;
  for (const command of answered) {
    const matching =
      command.kind === 'transfer'
        ? rows.filter((r) => r.aggregate_type === 'transfer' && r.aggregate_id === command.transferId && r.event_type === 'TransferRequested')
        : rows.filter(
            (r) =>
              r.aggregate_type === 'account' &&
              r.aggregate_id === command.account &&
              r.event_type === (command.kind === 'deposit' ? 'MoneyDeposited' : 'MoneyWithdrawn') &&
              r.payload['amount'] === command.amount,
          );
    const accepted = command.status < 300;
    if (accepted && matching.length === 0) lost++;
    if (matching.length > 1 || (!accepted && matching.length > 0)) duplicated++;
  }

  let unbalancedTransfers = 0;
  let unfinishedTransfers = 0;
  const legsOf = new Map<string, LogRow[]>();
  for (const row of rows) if (row.correlation_id && row.aggregate_type === 'account') legsOf.set(row.correlation_id, [...(legsOf.get(row.correlation_id) ?? []), row]);
  for (const transfer of answered.filter((a) => a.kind === 'transfer' && a.status < 300)) {
    const legs = legsOf.get(transfer.transferId!) ?? [];
    const count = (type: string): number => legs.filter((l) => l.event_type === type).length;
    const debits = count('TransferDebited');
    const settles = count('TransferCredited') + count('TransferRefunded');
    // A step is decided once: applied or declined (ADR 0029), never both, never twice.
    const decidedTwice = debits + count('TransferDebitDeclined') > 1 || count('TransferCredited') + count('TransferCreditDeclined') > 1;
    if (debits > 1 || settles > 1 || debits !== settles || decidedTwice) unbalancedTransfers++;
    const stream = rows.filter((r) => r.aggregate_type === 'transfer' && r.aggregate_id === transfer.transferId);
    if (!stream.some((r) => TRANSFER_ENDS.has(r.event_type))) unfinishedTransfers++;
  }

  let negativeBalances = 0;
  for (const account of fold(rows).values()) if (account.everNegative) negativeBalances++;
  return { lost, duplicated, negativeBalances, unbalancedTransfers, unfinishedTransfers };
};
