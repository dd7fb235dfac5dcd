import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../src/domain/account/account.js';
import type { Snapshot, SnapshotStore } from '../../src/domain/ports/snapshot-store.port.js';
import { AWKWARD_TEXT, propertyParameters, useSubject, type ContractSubject, type SuiteSubject } from './contract-support.js';

export interface SnapshotStoreSubject<S> extends ContractSubject {
  readonly store: SnapshotStore<S>;
}

/** The parts of the contract every snapshot store shares; `stateAt` makes a distinct state per version. */
export function snapshotStoreTests<S>(subject: SuiteSubject<SnapshotStoreSubject<S>>, stateAt: (version: number, tag: string) => S): void {
  const store = (): SnapshotStore<S> => subject.get().store;
  const snapshot = (version: number, tag = 'a'): Snapshot<S> => ({ state: stateAt(version, tag), version });

  it('answers undefined for an aggregate without a snapshot', async () => {
    expect(await store().get(subject.key())).toBeUndefined();
  });

  it('stores a first snapshot and round-trips it exactly', async () => {
    const id = subject.key();
    const first = snapshot(1);
    await store().saveIfNewer(id, first);
    expect(await store().get(id)).toStrictEqual(first);
  });

  it('replaces a snapshot only by a later version', async () => {
    const id = subject.key();
    await store().saveIfNewer(id, snapshot(3, 'first'));
    await store().saveIfNewer(id, snapshot(3, 'same-version'));
    await store().saveIfNewer(id, snapshot(2, 'older'));
    expect(await store().get(id)).toStrictEqual(snapshot(3, 'first'));
    await store().saveIfNewer(id, snapshot(7, 'newer'));
    expect(await store().get(id)).toStrictEqual(snapshot(7, 'newer'));
  });

  it('takes the previous snapshot as a hint only: right or wrong, the later version wins', async () => {
    const id = subject.key();
    await store().saveIfNewer(id, snapshot(1));
    const loaded = (await store().get(id))!;
    await store().saveIfNewer(id, snapshot(2), loaded);
    expect(await store().get(id)).toStrictEqual(snapshot(2));
    // A stale hint (version 1 is long gone) still saves the later version, and never an older one.
    await store().saveIfNewer(id, snapshot(4, 'b'), loaded);
    expect(await store().get(id)).toStrictEqual(snapshot(4, 'b'));
    await store().saveIfNewer(id, snapshot(3, 'c'), snapshot(2));
    expect(await store().get(id)).toStrictEqual(snapshot(4, 'b'));
  });

  it('keeps the highest version when versions 1..20 are saved concurrently in any order', async () => {
    const versions = Array.from({ length: 20 }, (_, i) => i + 1);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(versions, { minLength: 20, maxLength: 20 }), async (order) => {
        const id = subject.key();
        await Promise.all(order.map((version) => store().saveIfNewer(id, snapshot(version))));
        expect(await store().get(id)).toStrictEqual(snapshot(20));
      }),
      propertyParameters(40),
    );
  });

  it('keeps aggregates apart', async () => {
    const [a, b] = [subject.key('a'), subject.key('b')];
    await store().saveIfNewer(a, snapshot(5, 'a'));
    await store().saveIfNewer(b, snapshot(1, 'b'));
    expect(await store().get(a)).toStrictEqual(snapshot(5, 'a'));
    expect(await store().get(b)).toStrictEqual(snapshot(1, 'b'));
  });
}

const accountStateAt = (version: number, tag: string): AccountState =>
  version === 1
    ? { status: 'open', owner: `${AWKWARD_TEXT} ${tag}`, currency: 'KRW', balance: 0 }
    : { status: version % 2 === 0 ? 'open' : 'closed', owner: tag, currency: 'USD', balance: 1_000_000_000_000 - version };

/** The account snapshot store's contract. */
export function snapshotStoreContract(name: string, factory: () => Promise<SnapshotStoreSubject<AccountState>>): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    snapshotStoreTests(useSubject(factory), accountStateAt);
  });
}
