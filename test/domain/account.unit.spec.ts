import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountDecider,
  evolveAccount,
  initialAccountState,
  TRANSFER_STEPS_KEPT,
  transferStepKnowledge,
  type AccountState,
  type TransferStep,
} from '../../src/domain/account/account.js';
import type { AccountEvent } from '../../src/domain/account/account.events.js';
import { specification } from '../support/decider-specification.js';

/** The state after `events`, the first at version `firstVersion` (1 by default). */
const fold = (events: readonly AccountEvent[], from: AccountState = initialAccountState, firstVersion = 1): AccountState =>
  events.reduce<AccountState>((state, event, index) => evolveAccount(state, event, firstVersion + index), from);

const { given } = specification(accountDecider);

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
    given(opened, deposited(500))
      .when({ type: 'DebitForTransfer', amount: 501, transferId: 't' })
      .then([{ eventType: 'TransferDebitDeclined', data: { transferId: 't', code: 'ACCOUNT.INSUFFICIENT_FUNDS' } }]);
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
      .then([{ eventType: 'TransferCreditDeclined', data: { transferId: 't', code: 'ACCOUNT.CLOSED' } }]);
    given(opened, closed)
      .when({ type: 'DebitForTransfer', amount: 1, transferId: 't' })
      .then([{ eventType: 'TransferDebitDeclined', data: { transferId: 't', code: 'ACCOUNT.CLOSED' } }]);
    given(opened, closed)
      .when({ type: 'RefundTransfer', amount: 7, transferId: 't' })
      .then([{ eventType: 'TransferRefunded', data: { amount: 7, transferId: 't' } }]);
  });

  it('credits a transfer only in its own currency', () => {
    given(opened)
      .when({ type: 'CreditForTransfer', amount: 1, transferId: 't', currency: 'USD' })
      .then([{ eventType: 'TransferCreditDeclined', data: { transferId: 't', code: 'ACCOUNT.CURRENCY_MISMATCH' } }]);
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
      { eventType: 'TransferCreditDeclined', data: { transferId: 'u', code: 'ACCOUNT.CURRENCY_MISMATCH' } } as AccountEvent,
    ];
    expect(fold(state)).toEqual({
      status: 'open',
      owner: 'Ann',
      currency: 'KRW',
      balance: 60,
      steps: [
        { transferId: 't', step: 'debit', version: 3 },
        { transferId: 't', step: 'refund', version: 4 },
        { transferId: 'u', step: 'credit', version: 6, declined: 'ACCOUNT.CURRENCY_MISMATCH' },
      ],
      stepsFrom: 0,
    });
  });

  it('never lets a balance pass the largest exact integer', () => {
    const rich = deposited(Number.MAX_SAFE_INTEGER - 10);
    given(opened, rich).when({ type: 'Deposit', amount: 10 }).then([deposited(10)]);
    given(opened, rich).when({ type: 'Deposit', amount: 11 }).thenRefused('ACCOUNT.BALANCE_LIMIT');
    given(opened, rich)
      .when({ type: 'CreditForTransfer', amount: 11, transferId: 't', currency: 'KRW' })
      .then([{ eventType: 'TransferCreditDeclined', data: { transferId: 't', code: 'ACCOUNT.BALANCE_LIMIT' } }]);
  });
});

describe('Account: each transfer step decided once', () => {
  const debited: AccountEvent = { eventType: 'TransferDebited', data: { amount: 5, transferId: 't' } };
  const declined: AccountEvent = { eventType: 'TransferDebitDeclined', data: { transferId: 't', code: 'ACCOUNT.INSUFFICIENT_FUNDS' } };

  it('decides nothing for a step it applied or declined already, whatever the balance says now', () => {
    given(opened, deposited(10), debited).when({ type: 'DebitForTransfer', amount: 5, transferId: 't' }).then([]);
    given(opened, declined, deposited(10)).when({ type: 'DebitForTransfer', amount: 5, transferId: 't' }).then([]);
    given(opened, deposited(10), debited).when({ type: 'DebitForTransfer', amount: 5, transferId: 'other' }).then([
      { eventType: 'TransferDebited', data: { amount: 5, transferId: 'other' } },
    ]);
    given(opened, deposited(10), debited).when({ type: 'RefundTransfer', amount: 5, transferId: 't' }).then([
      { eventType: 'TransferRefunded', data: { amount: 5, transferId: 't' } },
    ]);
  });

  it('a state saved before steps were kept vouches only for what follows it', () => {
    const saved: AccountState = { status: 'open', owner: 'Ann', currency: 'KRW', balance: 10 };
    expect(transferStepKnowledge(saved, 9, 't', 'debit', 2)).toEqual({ kind: 'look-in-log', fromVersion: 3, toVersion: 9 });
    const after = fold([deposited(1)], saved, 10);
    expect(transferStepKnowledge(after, 10, 't', 'debit', 2)).toEqual({ kind: 'look-in-log', fromVersion: 3, toVersion: 9 });
    expect(transferStepKnowledge(after, 10, 't', 'debit', 9)).toEqual({ kind: 'undecided' });
  });

  type Step = { readonly transferId: string; readonly step: TransferStep; readonly declined: boolean };
  const stepEvent = ({ transferId, step, declined: isDeclined }: Step): AccountEvent => {
    if (step === 'refund') return { eventType: 'TransferRefunded', data: { amount: 1, transferId } };
    if (isDeclined) {
      return step === 'debit'
        ? { eventType: 'TransferDebitDeclined', data: { transferId, code: 'ACCOUNT.INSUFFICIENT_FUNDS' } }
        : { eventType: 'TransferCreditDeclined', data: { transferId, code: 'ACCOUNT.CLOSED' } };
    }
    return step === 'debit' ? { eventType: 'TransferDebited', data: { amount: 1, transferId } } : { eventType: 'TransferCredited', data: { amount: 1, transferId } };
  };

  it('knows every step above what it let go, and sends a caller to the log only for the range it let go', () => {
    const history = fc.array(
      fc.oneof(
        fc.constant<AccountEvent>(deposited(1)),
        fc.record({ transferId: fc.integer({ min: 0, max: 40 }).map((n) => `t${n}`), step: fc.constantFrom<TransferStep>('debit', 'credit', 'refund'), declined: fc.boolean() }).map(stepEvent),
      ),
      { maxLength: 3 * TRANSFER_STEPS_KEPT, size: 'max' },
    );
    fc.assert(
      fc.property(history, fc.nat(), (events, cut) => {
        const all = [opened, ...events];
        const state = fold(all);
        const version = all.length;
        const notBefore = cut % version;
        if (state.status !== 'none') expect(state.steps?.length ?? 0).toBeLessThanOrEqual(TRANSFER_STEPS_KEPT);
        // Every step the history holds (kept or let go of), and one it does not.
        const asked = [...all.filter((event) => stepOf(event) !== undefined), stepEvent({ transferId: 'never', step: 'credit', declined: false })];
        for (const query of asked) {
          const transferId = transferIdOf(query)!;
          const step = stepOf(query)!;
          // The oracle: the log itself, above notBefore.
          const inLog = all.findIndex((event, index) => index + 1 > notBefore && transferIdOf(event) === transferId && stepOf(event) === step);
          const known = transferStepKnowledge(state, version, transferId, step, notBefore);
          if (known.kind === 'decided') {
            const event = all[known.record.version - 1]!;
            expect([stepOf(event), transferIdOf(event)]).toEqual([step, transferId]);
          } else if (known.kind === 'undecided') {
            expect(inLog).toBe(-1);
          } else {
            // The range it sends the caller to holds the step if the log holds it anywhere above notBefore.
            expect(known.fromVersion).toBe(notBefore + 1);
            if (inLog !== -1) expect(inLog + 1).toBeLessThanOrEqual(known.toVersion);
          }
        }
      }),
    );
  });
});

const transferIdOf = (event: AccountEvent): string | undefined => ('transferId' in event.data ? event.data.transferId : undefined);

const stepOf = (event: AccountEvent): TransferStep | undefined => {
  switch (event.eventType) {
    case 'TransferDebited':
    case 'TransferDebitDeclined':
      return 'debit';
    case 'TransferCredited':
    case 'TransferCreditDeclined':
      return 'credit';
    case 'TransferRefunded':
      return 'refund';
    default:
      return undefined;
  }
};
