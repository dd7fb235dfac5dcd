import { describe, expect, it } from 'vitest';
import type { TransactionEntry, TransactionHistory, TransactionType } from '../../src/domain/ports/read-model.port.js';
import { useSubject, type ContractSubject } from './contract-support.js';

export interface TransactionHistorySubject extends ContractSubject {
  readonly history: TransactionHistory;
}

const TYPES: readonly TransactionType[] = ['opened', 'deposit', 'withdrawal', 'transfer-in', 'transfer-out', 'transfer-refund', 'closed'];

const entry = (accountId: string, version: number): TransactionEntry => ({
  accountId,
  version,
  type: TYPES[(version - 1) % TYPES.length]!,
  amount: version === 2 ? 1_000_000_000_000 : version,
  balanceAfter: version * 10,
  at: new Date(Date.parse('2026-01-01T00:00:00.000Z') + version).toISOString(),
  // `transferId` is optional: present on some entries and absent (not undefined) on others.
  ...(version % 2 === 0 ? { transferId: `${accountId}-t${version}` } : {}),
});

/** The transaction history: one entry per account version, listed in ascending windows. */
export function transactionHistoryContract(name: string, factory: () => Promise<TransactionHistorySubject>): void {
  describe(`TransactionHistory contract: ${name}`, () => {
    const subject = useSubject(factory);
    const history = (): TransactionHistory => subject.get().history;
    const versions = async (accountId: string, after: number, upTo: number, limit: number): Promise<number[]> =>
      (await history().list(accountId, after, upTo, limit)).map((found) => found.version);

    it('lists nothing for an account without entries', async () => {
      expect(await history().list(subject.key(), 0, 100, 100)).toEqual([]);
    });

    it('round-trips entries exactly and lists them in ascending order whatever the order they were put in', async () => {
      const id = subject.key();
      const entries = [1, 2, 3, 4, 5, 6, 7].map((version) => entry(id, version));
      await history().putAll([entries[4]!, entries[0]!, entries[6]!]);
      await history().putAll([entries[2]!, entries[1]!, entries[5]!, entries[3]!]);
      expect(await history().list(id, 0, 7, 100)).toStrictEqual(entries);
    });

    it('lists entries with afterVersion < version <= upToVersion, at most limit', async () => {
      const id = subject.key();
      await history().putAll([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((version) => entry(id, version)));

      expect(await versions(id, 0, 10, 100)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await versions(id, 3, 7, 100)).toEqual([4, 5, 6, 7]);
      expect(await versions(id, 0, 5, 100)).toEqual([1, 2, 3, 4, 5]);
      expect(await versions(id, 3, 10, 2)).toEqual([4, 5]);
      expect(await versions(id, 9, 10, 100)).toEqual([10]);
      expect(await versions(id, 10, 20, 100)).toEqual([]);
      expect(await versions(id, 5, 5, 100)).toEqual([]);
      expect(await versions(id, 7, 3, 100)).toEqual([]);
      expect(await versions(id, 0, Number.MAX_SAFE_INTEGER, 100)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await versions(id, 8, Number.MAX_SAFE_INTEGER, 100)).toEqual([9, 10]);
    });

    it('takes the same entries twice without duplicating them', async () => {
      const id = subject.key();
      const entries = [1, 2, 3].map((version) => entry(id, version));
      await history().putAll(entries);
      await history().putAll(entries);
      await history().putAll([entries[1]!]);
      expect(await history().list(id, 0, 3, 100)).toStrictEqual(entries);
    });

    it('keeps accounts apart, also when one putAll holds entries of several', async () => {
      const [a, b] = [subject.key('a'), subject.key('b')];
      await history().putAll([entry(a, 1), entry(b, 1), entry(a, 2), entry(b, 2), entry(b, 3)]);
      expect(await history().list(a, 0, 10, 100)).toStrictEqual([entry(a, 1), entry(a, 2)]);
      expect(await history().list(b, 0, 10, 100)).toStrictEqual([entry(b, 1), entry(b, 2), entry(b, 3)]);
    });
  });
}
