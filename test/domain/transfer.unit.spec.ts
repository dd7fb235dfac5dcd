import { describe, expect, it } from 'vitest';
import {
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
const requested: TransferEvent = { eventType: 'TransferRequested', data: { from: 'a', to: 'b', amount: 10 } };

describe('Transfer process', () => {
  it('is requested once, between two different accounts', () => {
    expect(decideTransferRequest({ from: 'a', to: 'b', amount: 10 }, initialTransferState)).toEqual([requested]);
    expect((decideTransferRequest({ from: 'a', to: 'a', amount: 10 }, initialTransferState) as DomainError).code).toBe('TRANSFER.SAME_ACCOUNT');
    expect((decideTransferRequest({ from: 'a', to: 'b', amount: 10 }, fold(requested)) as DomainError).code).toBe('TRANSFER.ALREADY_EXISTS');
  });

  it('given requested, when nothing happened yet, then it debits the source', () => {
    expect(nextTransferAction('t', fold(requested))).toEqual({
      step: 'debit',
      accountId: 'a',
      command: { type: 'DebitForTransfer', amount: 10, transferId: 't' },
    });
  });

  it('given debited, then it credits the destination in the source currency, and completes', () => {
    const debited = fold(requested, recordStepApplied('debit', 4, 'USD'));
    expect(nextTransferAction('t', debited)).toEqual({
      step: 'credit',
      accountId: 'b',
      command: { type: 'CreditForTransfer', amount: 10, transferId: 't', currency: 'USD' },
    });
    const completed = evolveTransfer(debited, recordStepApplied('credit', 2, 'USD'));
    expect(completed).toEqual({ status: 'completed', from: 'a', to: 'b', amount: 10 });
    expect(nextTransferAction('t', completed)).toBeUndefined();
  });

  it('given a refused debit, then it fails at once with the reason', () => {
    const failed = fold(requested, recordStepRefused('debit', new DomainError('ACCOUNT.INSUFFICIENT_FUNDS', '')));
    expect(failed).toEqual({ status: 'failed', from: 'a', to: 'b', amount: 10, reason: 'source-insufficient-funds' });
    expect(nextTransferAction('t', failed)).toBeUndefined();
  });

  it('given a refused credit, then it gives the debit back and fails with the credit reason', () => {
    const refunding = fold(
      requested,
      recordStepApplied('debit', 4, 'KRW'),
      recordStepRefused('credit', new DomainError('ACCOUNT.CLOSED', '')),
    );
    expect(nextTransferAction('t', refunding)).toEqual({
      step: 'refund',
      accountId: 'a',
      command: { type: 'RefundTransfer', amount: 10, transferId: 't' },
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
    expect(() => recordStepRefused('refund', new DomainError('ACCOUNT.CLOSED', ''))).toThrow();
  });
});
