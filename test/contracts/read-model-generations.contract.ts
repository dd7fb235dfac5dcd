import { describe, expect, it } from 'vitest';
import type { ProjectionName, ReadModelGenerations } from '../../src/domain/ports/read-model-generations.port.js';
import type { AccountView, TransferView } from '../../src/domain/ports/read-model.port.js';
import { eventually } from '../support/eventually.js';
import { useSubject, type ContractSubject } from './contract-support.js';

export interface ReadModelGenerationsSubject extends ContractSubject {
  readonly generations: ReadModelGenerations;
  /** The same generations as another process sees them, where the backend has processes. */
  readonly peer?: ReadModelGenerations;
}

const account = (accountId: string, version: number): AccountView => ({
  accountId,
  owner: 'Ann',
  currency: 'KRW',
  balance: version * 100,
  status: 'open',
  version,
  openedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
});

const transfer = (transferId: string, version: number): TransferView => ({
  transferId,
  from: 'a',
  to: 'b',
  amount: 5,
  status: 'pending',
  version,
  requestedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/**
 * Generations of the read model: which one queries read and which one a rebuild fills, moved by
 * compare-and-set, heard by every process; each generation's stores apart from the others', and
 * dropped whole. Both projections' states are shared by the suite's tests (a backend has one of
 * each), so every test moves them from the state it finds.
 */
export function readModelGenerationsContract(name: string, factory: () => Promise<ReadModelGenerationsSubject>): void {
  describe(`ReadModelGenerations contract: ${name}`, () => {
    const subject = useSubject(factory);
    const generations = (): ReadModelGenerations => subject.get().generations;
    const peer = (): ReadModelGenerations => subject.get().peer ?? subject.get().generations;

    // First in the suite: a move made by an earlier test may still be on its way to the peer's
    // listener (a listener hears a key's moves in order, but late), and would be heard here.
    it('tells every process of a move, by projection', async () => {
      const heard: ProjectionName[] = [];
      const stop = peer().onStateChange((projection) => heard.push(projection));
      try {
        const current = await generations().state('transfers');
        expect(await generations().compareAndSetState('transfers', current, { ...current, building: current.active + 1 })).toBe(true);
        await eventually(() => heard.includes('transfers'), { message: 'the move of transfers was not heard' });
        expect(heard).not.toContain('accounts');
      } finally {
        stop();
      }
    });

    it('moves a projection state only from the state it expects, and each projection on its own', async () => {
      const before = await generations().state('accounts');
      const transfersBefore = await generations().state('transfers');
      const building = { active: before.active, building: before.active + 1 };
      expect(await generations().compareAndSetState('accounts', { active: before.active + 7 }, building)).toBe(false);
      expect(await generations().state('accounts')).toEqual(before);
      expect(await generations().compareAndSetState('accounts', before, building)).toBe(true);
      expect(await generations().state('accounts')).toEqual(building);
      expect(await peer().state('accounts')).toEqual(building);
      // The state it moved from is stale now: a second process moving from it loses.
      expect(await peer().compareAndSetState('accounts', before, { active: before.active + 2 })).toBe(false);
      const switched = { active: before.active + 1 };
      expect(await peer().compareAndSetState('accounts', building, switched)).toBe(true);
      expect(await generations().state('accounts')).toEqual(switched);
      expect(await generations().state('transfers')).toEqual(transfersBefore);
    });

    it("keeps each generation's stores apart, and the same stores for a generation asked twice", async () => {
      const id = subject.key();
      const base = (await generations().state('accounts')).active;
      const [zero, next] = [await generations().accounts(base), await generations().accounts(base + 10)];
      expect(await next.accountViews.compareAndSet(id, account(id, 1), 0)).toBe(true);
      await next.transactionHistory.putAll([{ accountId: id, version: 1, type: 'opened', amount: 0, balanceAfter: 0, at: '2026-01-01T00:00:00.000Z' }]);
      expect(await zero.accountViews.get(id, { fresh: true })).toBeUndefined();
      expect(await zero.transactionHistory.list(id, 0, 10, 10)).toEqual([]);
      expect(await (await generations().accounts(base + 10)).accountViews.get(id, { fresh: true })).toEqual(account(id, 1));
      expect(await (await peer().accounts(base + 10)).transactionHistory.list(id, 0, 10, 10)).toHaveLength(1);

      const transfers = await generations().transfers(base + 10);
      expect(await transfers.transferViews.compareAndSet(id, transfer(id, 1), 0)).toBe(true);
      expect(await (await generations().transfers(base + 11)).transferViews.get(id, { fresh: true })).toBeUndefined();
    });

    it('drops a generation whole, and never the active one', async () => {
      const id = subject.key();
      const { active } = await generations().state('accounts');
      const dropped = active + 20;
      const stores = await generations().accounts(dropped);
      expect(await stores.accountViews.compareAndSet(id, account(id, 1), 0)).toBe(true);
      await generations().drop('accounts', dropped);
      const again = await generations().accounts(dropped);
      expect(await again.accountViews.get(id, { fresh: true })).toBeUndefined();
      expect(await again.transactionHistory.list(id, 0, 10, 10)).toEqual([]);
      await expect(generations().drop('accounts', active)).rejects.toThrow(/active/);
      // The active generation's stores are untouched by the refusal.
      const live = await generations().accounts(active);
      expect(await live.accountViews.compareAndSet(id, account(id, 1), 0)).toBe(true);
      expect(await live.accountViews.get(id, { fresh: true })).toEqual(account(id, 1));
    });
  });
}
