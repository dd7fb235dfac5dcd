import { describe, expect, it } from 'vitest';
import {
  decideStepRecord,
  decideTransferRequest,
  evolveTransfer,
  initialTransferState,
  nextTransferAction,
  recordStepApplied,
  recordStepRefused,
  type TransferState,
} from '../../src/domain/transfer/transfer.js';
import type { TransferEvent } from '../../src/domain/transfer/transfer.events.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';

const fold = (...events: TransferEvent[]): TransferState => events.reduce(evolveTransfer, initialTransferState);
const terms = { from: 'a', to: 'b', amount: 10, fromVersion: 3, toVersion: 7 };
const requested: TransferEvent = { eventType: 'TransferRequested', data: terms };

describe('Transfer process', () => {
  it('is requested once, between two different accounts', () => {
    expect(decideTransferRequest(terms, initialTransferState)).toEqual([requested]);
    expect((decideTransferRequest({ ...terms, to: 'a' }, initialTransferState) as DomainError).code).toBe('TRANSFER.SAME_ACCOUNT');
    expect((decideTransferRequest(terms, fold(requested)) as DomainError).code).toBe('TRANSFER.ALREADY_EXISTS');
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

  it('records a step outcome once: a transfer past the step decides nothing', () => {
    const outcome = recordStepApplied('debit', 4, 'KRW');
    expect(decideStepRecord(fold(requested), 'debit', outcome)).toEqual([outcome]);
    expect(decideStepRecord(fold(requested, outcome), 'debit', outcome)).toEqual([]);
    expect(decideStepRecord(fold(requested, recordStepRefused('debit', 'ACCOUNT.CLOSED')), 'debit', outcome)).toEqual([]);
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
