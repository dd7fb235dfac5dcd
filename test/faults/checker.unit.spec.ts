import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { everyTransferEnded, fold, tally, type Answered } from '../../faults/checker.js';
import type { LogRow } from '../../faults/seen-against-log.js';

/**
 * The fault run's checker on hand-made histories: a history where the system kept every guarantee
 * tallies zero everywhere, and each way of breaking one shows in its own count, and only there.
 */

const accountRow = (account: string, version: number, type: string, amount: number, correlation: string | null = null): LogRow => ({
  aggregate_type: 'account',
  aggregate_id: account,
  version,
  event_id: `${account}-${version}`,
  event_type: type,
  correlation_id: correlation,
  payload: { amount },
});

const transferRow = (transfer: string, version: number, type: string): LogRow => ({
  aggregate_type: 'transfer',
  aggregate_id: transfer,
  version,
  event_id: `${transfer}-${version}`,
  event_type: type,
  correlation_id: transfer,
  payload: {},
});

/** A history kept right by construction: what the load sent, what it was answered, and the log that results. */
interface History {
  readonly rows: LogRow[];
  readonly answered: Answered[];
}

type Step =
  | { readonly kind: 'deposit'; readonly account: number; readonly amount: number }
  | { readonly kind: 'withdrawal'; readonly account: number; readonly amount: number }
  | { readonly kind: 'transfer'; readonly from: number; readonly to: number; readonly amount: number };

const ACCOUNTS = ['a0', 'a1', 'a2'];

/** Applies the steps as the system should: unique amounts, no overdraft, every transfer credited or refunded once. */
const historyOf = (steps: readonly Step[]): History => {
  const balance = new Map<string, number>(ACCOUNTS.map((a) => [a, 0]));
  const version = new Map<string, number>(ACCOUNTS.map((a) => [a, 1]));
  const rows: LogRow[] = ACCOUNTS.map((a) => accountRow(a, 1, 'AccountOpened', 0));
  const answered: Answered[] = [];
  const append = (account: string, type: string, amount: number, correlation: string | null = null): void => {
    const next = version.get(account)! + 1;
    version.set(account, next);
    rows.push(accountRow(account, next, type, amount, correlation));
  };
  steps.forEach((step, n) => {
    // Amounts are unique per command, as the fault run makes them.
    const amount = step.amount * 1000 + n;
    if (step.kind === 'deposit') {
      const account = ACCOUNTS[step.account]!;
      balance.set(account, balance.get(account)! + amount);
      append(account, 'MoneyDeposited', amount);
      answered.push({ kind: 'deposit', account, amount, status: 200 });
    } else if (step.kind === 'withdrawal') {
      const account = ACCOUNTS[step.account]!;
      const enough = balance.get(account)! >= amount;
      if (enough) {
        balance.set(account, balance.get(account)! - amount);
        append(account, 'MoneyWithdrawn', amount);
      }
      answered.push({ kind: 'withdrawal', account, amount, status: enough ? 200 : 422 });
    } else {
      const [from, to] = [ACCOUNTS[step.from]!, ACCOUNTS[step.to]!];
      const transferId = `t${n}`;
      rows.push(transferRow(transferId, 1, 'TransferRequested'));
      if (balance.get(from)! >= amount) {
        balance.set(from, balance.get(from)! - amount);
        append(from, 'TransferDebited', amount, transferId);
        balance.set(to, balance.get(to)! + amount);
        append(to, 'TransferCredited', amount, transferId);
      } else {
        append(from, 'TransferDebitDeclined', amount, transferId);
      }
      rows.push(transferRow(transferId, 2, 'TransferSettled'));
      answered.push({ kind: 'transfer', account: from, amount, status: 202, transferId });
    }
  });
  // The checker reads the log ordered by account and version, as the harness selects it.
  rows.sort((x, y) => x.aggregate_id.localeCompare(y.aggregate_id) || x.version - y.version);
  return { rows, answered };
};

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), account: fc.nat(2), amount: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('withdrawal' as const), account: fc.nat(2), amount: fc.integer({ min: 1, max: 50 }) }),
  fc
    .record({ kind: fc.constant('transfer' as const), from: fc.nat(2), to: fc.nat(1), amount: fc.integer({ min: 1, max: 50 }) })
    .map((t) => ({ ...t, to: t.to >= t.from ? t.to + 1 : t.to })),
);

const ZERO = { lost: 0, duplicated: 0, negativeBalances: 0, unbalancedTransfers: 0, unfinishedTransfers: 0 };

describe('the fault run checker', () => {
  it('tallies zero for any history that kept every guarantee, and folds it to the balances it moved', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const { rows, answered } = historyOf(steps);
        expect(tally(rows, answered)).toEqual(ZERO);
        expect(everyTransferEnded(rows)).toBe(true);
        const total = [...fold(rows).values()].reduce((sum, a) => sum + a.balance, 0);
        const deposited = answered.filter((a) => a.kind === 'deposit').reduce((sum, a) => sum + a.amount, 0);
        const withdrawn = answered.filter((a) => a.kind === 'withdrawal' && a.status < 300).reduce((sum, a) => sum + a.amount, 0);
        expect(total).toBe(deposited - withdrawn);
      }),
    );
  });

  const base = (): History =>
    historyOf([
      { kind: 'deposit', account: 0, amount: 10 },
      { kind: 'withdrawal', account: 0, amount: 1 },
      { kind: 'transfer', from: 0, to: 1, amount: 2 },
      { kind: 'withdrawal', account: 2, amount: 5 },
    ]);

  it('counts an acknowledged deposit missing from the log as lost', () => {
    const { rows, answered } = base();
    const without = rows.filter((r) => r.event_type !== 'MoneyDeposited');
    // Its account's later events go below zero without it, as a log with a hole would.
    expect(tally(without, answered)).toMatchObject({ lost: 1, duplicated: 0 });
  });

  it('counts an accepted transfer whose request is missing as lost', () => {
    const { rows, answered } = base();
    expect(tally(rows.filter((r) => r.event_type !== 'TransferRequested'), answered)).toMatchObject({ lost: 1, duplicated: 0, unbalancedTransfers: 0 });
  });

  it('counts a command applied twice, and a refused one applied at all, as duplicated', () => {
    const { rows, answered } = base();
    const deposit = rows.find((r) => r.event_type === 'MoneyDeposited')!;
    expect(tally([...rows, { ...deposit, version: 99, event_id: 'again' }], answered)).toEqual({ ...ZERO, duplicated: 1 });
    // The withdrawal from a2 was refused (422): finding it in the log is a duplicate of nothing.
    const refused = answered.find((a) => a.kind === 'withdrawal' && a.status >= 300)!;
    const applied = accountRow(refused.account, 2, 'MoneyWithdrawn', refused.amount);
    expect(tally([...rows, applied], answered)).toMatchObject({ duplicated: 1, negativeBalances: 1 });
  });

  it('counts a balance that went below zero', () => {
    const { rows, answered } = base();
    const overdraft = accountRow('a1', 99, 'MoneyWithdrawn', 1_000_000);
    expect(tally([...rows, overdraft], answered)).toEqual({ ...ZERO, negativeBalances: 1 });
  });

  it('counts a debit without its credit, a step decided twice, and a transfer without its end', () => {
    const { rows, answered } = base();
    expect(tally(rows.filter((r) => r.event_type !== 'TransferCredited'), answered)).toEqual({ ...ZERO, unbalancedTransfers: 1 });
    const debit = rows.find((r) => r.event_type === 'TransferDebited')!;
    const declined = { ...debit, version: 98, event_id: 'declined', event_type: 'TransferDebitDeclined' };
    expect(tally([...rows, declined], answered)).toEqual({ ...ZERO, unbalancedTransfers: 1 });
    const open = rows.filter((r) => r.event_type !== 'TransferSettled');
    expect(tally(open, answered)).toEqual({ ...ZERO, unfinishedTransfers: 1 });
    expect(everyTransferEnded(open)).toBe(false);
  });
});
