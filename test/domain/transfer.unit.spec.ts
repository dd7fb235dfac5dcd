import { describe, expect, it } from 'vitest';
import {
  evolveTransfer,
  nextTransferAction,
  recordStepApplied,
  recordStepRefused,
  settlement,
  transferDecider,
} from '../../src/domain/transfer/transfer.js';
import type { TransferCommand } from '../../src/domain/transfer/transfer.commands.js';
import type { TransferEvent, TransferSettled } from '../../src/domain/transfer/transfer.events.js';
import { specification } from '../support/decider-specification.js';

const transfer = specification(transferDecider);
const fold = (...events: TransferEvent[]) => transfer.fold(events);
const terms = { from: 'a', to: 'b', amount: 10, fromVersion: 3, toVersion: 7 };
const requested: TransferEvent = { eventType: 'TransferRequested', data: terms };
const request: TransferCommand = { type: 'RequestTransfer', ...terms };
const settle = (settled: TransferSettled): TransferCommand => ({ type: 'SettleTransfer', settlement: settled });

describe('Transfer process', () => {
  it('is requested once, between two different accounts', () => {
    transfer.given().when(request).then([requested]);
    transfer.given().when({ ...request, to: 'a' }).thenRefused('TRANSFER.SAME_ACCOUNT');
    transfer.given(requested).when(request).thenRefused('TRANSFER.ALREADY_EXISTS');
  });

  it('given requested, when nothing happened yet, then it debits the source above the version seen at acceptance', () => {
    expect(nextTransferAction('t', fold(requested))).toEqual({
      step: 'debit',
      accountId: 'a',
      command: { type: 'DebitForTransfer', amount: 10, transferId: 't' },
      notBefore: 3,
      absent: false,
    });
  });

  it('given an account that did not exist at acceptance, then its step is refused without asking it', () => {
    const noSource = fold({ eventType: 'TransferRequested', data: { ...terms, fromVersion: 0 } });
    expect(nextTransferAction('t', noSource)).toMatchObject({ step: 'debit', absent: true });
    const noDestination = fold({ eventType: 'TransferRequested', data: { ...terms, toVersion: 0 } }, recordStepApplied('debit', 4, 'KRW'));
    expect(nextTransferAction('t', noDestination)).toMatchObject({ step: 'credit', absent: true });
    expect(recordStepRefused('credit', 'ACCOUNT.NOT_FOUND')).toEqual({ eventType: 'TransferCreditRefused', data: { reason: 'destination-account-not-found' } });
  });

  it('given a transfer accepted before the versions were recorded, then a retry looks from its claim, or from the start', () => {
    const legacy = fold({ eventType: 'TransferRequested', data: { from: 'a', to: 'b', amount: 10 } });
    expect(nextTransferAction('t', legacy)).toMatchObject({ notBefore: 0, absent: false });
    const claimed = evolveTransfer(legacy, { eventType: 'TransferStepClaimed', data: { step: 'debit', slot: 5 } });
    expect(nextTransferAction('t', claimed)).toMatchObject({ notBefore: 4, absent: false });
  });

  it('settles once, in one event that records how it ended and where its steps were decided', () => {
    const debited = recordStepApplied('debit', 4, 'KRW');
    const credited = recordStepApplied('credit', 8, 'KRW');
    const completed = fold(requested, debited, credited);
    const settled = settlement(completed, [debited, credited]);
    expect(settled).toEqual({ eventType: 'TransferSettled', data: { status: 'completed', currency: 'KRW', steps: { debit: 4, credit: 8 } } });
    expect(fold(requested, settled)).toEqual(completed);
    transfer.given(requested).when(settle(settled)).then([settled]);
    // Settled already (by another process): nothing more to record.
    transfer.given(requested, settled).when(settle(settled)).then([]);
    transfer.given().when(settle(settled)).then([]);

    const refused = recordStepRefused('credit', 'ACCOUNT.CLOSED');
    const refunded = recordStepApplied('refund', 9, 'KRW');
    const failed = fold(requested, debited, refused, refunded);
    const settledFailed = settlement(failed, [debited, refused, refunded]);
    expect(settledFailed.data).toEqual({ status: 'failed', reason: 'destination-account-closed', currency: 'KRW', steps: { debit: 4, refund: 9 } });
    expect(fold(requested, settledFailed)).toEqual(failed);
    expect(() => settlement(fold(requested, debited), [debited])).toThrow();
  });

  it('given debited, then it credits the destination in the source currency, and completes', () => {
    const debited = fold(requested, recordStepApplied('debit', 4, 'USD'));
    expect(nextTransferAction('t', debited)).toEqual({
      step: 'credit',
      accountId: 'b',
      command: { type: 'CreditForTransfer', amount: 10, transferId: 't', currency: 'USD' },
      notBefore: 7,
      absent: false,
    });
    const completed = evolveTransfer(debited, recordStepApplied('credit', 2, 'USD'));
    expect(completed).toEqual({ status: 'completed', from: 'a', to: 'b', amount: 10 });
    expect(nextTransferAction('t', completed)).toBeUndefined();
  });

  it('given a refused debit, then it fails at once with the reason', () => {
    const failed = fold(requested, recordStepRefused('debit', 'ACCOUNT.INSUFFICIENT_FUNDS'));
    expect(failed).toEqual({ status: 'failed', from: 'a', to: 'b', amount: 10, reason: 'source-insufficient-funds' });
    expect(nextTransferAction('t', failed)).toBeUndefined();
  });

  it('given a refused credit, then it gives the debit back and fails with the credit reason', () => {
    const refunding = fold(
      requested,
      recordStepApplied('debit', 4, 'KRW'),
      recordStepRefused('credit', 'ACCOUNT.CLOSED'),
    );
    expect(nextTransferAction('t', refunding)).toEqual({
      step: 'refund',
      accountId: 'a',
      command: { type: 'RefundTransfer', amount: 10, transferId: 't' },
      notBefore: 3,
      absent: false,
    });
    expect(evolveTransfer(refunding, recordStepApplied('refund', 6, 'KRW'))).toEqual({
      status: 'failed',
      from: 'a',
      to: 'b',
      amount: 10,
      reason: 'destination-account-closed',
    });
  });

  it('remembers the slot it claimed for each step', () => {
    const state = fold(requested, { eventType: 'TransferStepClaimed', data: { step: 'debit', slot: 5 } });
    expect(state.status === 'pending' && state.claims).toEqual({ debit: 5 });
  });

  it('never refuses a refund as a business outcome', () => {
    expect(() => recordStepRefused('refund', 'ACCOUNT.CLOSED')).toThrow();
  });
});
