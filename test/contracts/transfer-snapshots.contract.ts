import { describe, expect, it } from 'vitest';
import type { PendingTransfer, TransferSnapshots } from '../../src/domain/ports/transfer-snapshots.port.js';
import type { TransferState } from '../../src/domain/transfer/transfer.js';
import { useSubject, type ContractSubject } from './contract-support.js';
import { snapshotStoreTests } from './snapshot-store.contract.js';

export interface TransferSnapshotsSubject extends ContractSubject {
  readonly store: TransferSnapshots;
}

type PendingState = Extract<TransferState, { readonly status: 'pending' }>;

const pending = (from: string, to: string, amount: number): PendingState => ({
  status: 'pending',
  from,
  to,
  amount,
  stage: 'credit',
  currency: 'KRW',
  claims: { debit: 4 },
});

const stateAt = (version: number, tag: string): TransferState =>
  version % 3 === 0
    ? { status: 'failed', from: `${tag}-from`, to: `${tag}-to`, amount: version, reason: 'source-insufficient-funds' }
    : version % 3 === 1
      ? { ...pending(`${tag}-from`, `${tag}-to`, version), stage: 'refund', reason: 'destination-account-closed' }
      : { status: 'completed', from: `${tag}-from`, to: `${tag}-to`, amount: 1_000_000_000_000 };

const idsOf = (found: readonly PendingTransfer[]): string[] => found.map((transfer) => transfer.transferId).sort();

/** Transfer snapshots: a snapshot store that also finds the transfers still pending. */
export function transferSnapshotsContract(name: string, factory: () => Promise<TransferSnapshotsSubject>): void {
  describe(`TransferSnapshots contract: ${name}`, () => {
    const subject = useSubject(factory);
    const store = (): TransferSnapshots => subject.get().store;
    snapshotStoreTests(subject, stateAt);

    it('lists the pending transfers from an account, with their snapshots', async () => {
      const [source, other] = [subject.key('s'), subject.key('o')];
      const [t1, t2, t3, done] = ['1', '2', '3', 'd'].map((suffix) => subject.key(suffix)) as [string, string, string, string];
      await store().saveIfNewer(t1, { state: pending(source, other, 10), version: 1 });
      await store().saveIfNewer(t2, { state: pending(source, other, 20), version: 3 });
      await store().saveIfNewer(t3, { state: pending(other, source, 30), version: 1 });
      await store().saveIfNewer(done, { state: { status: 'completed', from: source, to: other, amount: 5 }, version: 4 });

      const found = await store().listPending({ from: source, limit: 100 });
      expect(idsOf(found)).toEqual([t1, t2].sort());
      expect(found.find((transfer) => transfer.transferId === t2)?.snapshot).toStrictEqual({ state: pending(source, other, 20), version: 3 });
      expect(idsOf(await store().listPending({ from: other, limit: 100 }))).toEqual([t3]);
      expect(await store().listPending({ from: subject.key('nobody'), limit: 100 })).toEqual([]);
    });

    it('honours the limit, with and without a source filter', async () => {
      const source = subject.key('s');
      const transfers = [1, 2, 3, 4].map((i) => subject.key(`t${i}`));
      for (const id of transfers) await store().saveIfNewer(id, { state: pending(source, 'x', 1), version: 1 });

      const two = await store().listPending({ from: source, limit: 2 });
      expect(two).toHaveLength(2);
      for (const id of idsOf(two)) expect(transfers).toContain(id);
      expect(await store().listPending({ from: source, limit: 4 })).toHaveLength(4);
      expect(await store().listPending({ limit: 3 })).toHaveLength(3);
      const everything = await store().listPending({ limit: 1_000_000 });
      for (const transfer of everything) expect(transfer.snapshot.state.status).toBe('pending');
      expect(idsOf(everything.filter((transfer) => transfers.includes(transfer.transferId)))).toEqual([...transfers].sort());
    });

    it('drops a transfer from the pending list once a later snapshot ends it, for good', async () => {
      const source = subject.key('s');
      const [completed, failed] = [subject.key('c'), subject.key('f')];
      await store().saveIfNewer(completed, { state: pending(source, 'x', 1), version: 1 });
      await store().saveIfNewer(failed, { state: pending(source, 'x', 2), version: 2 });
      expect(idsOf(await store().listPending({ from: source, limit: 10 }))).toEqual([completed, failed].sort());

      await store().saveIfNewer(completed, { state: { status: 'completed', from: source, to: 'x', amount: 1 }, version: 3 });
      await store().saveIfNewer(failed, { state: { status: 'failed', from: source, to: 'x', amount: 2, reason: 'r' }, version: 4 });
      await store().saveIfNewer(completed, { state: pending(source, 'x', 1), version: 2 });
      expect(await store().listPending({ from: source, limit: 10 })).toEqual([]);
    });
  });
}
