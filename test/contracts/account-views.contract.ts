import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountListQuery, AccountStatus, AccountView, AccountViews } from '../../src/domain/ports/read-model.port.js';
import { AWKWARD_TEXT, compareCodePoints, propertyParameters, useSubject, type ContractSubject } from './contract-support.js';
import { versionedViewsTests } from './versioned-views.contract.js';

export interface AccountViewsSubject extends ContractSubject {
  readonly views: AccountViews;
  /** The same views through another instance of the adapter (see VersionedViewsSubject). */
  readonly peer?: AccountViews;
}

const accountView = (accountId: string, overrides: Partial<AccountView> = {}): AccountView => ({
  accountId,
  owner: 'owner',
  currency: 'KRW',
  balance: 0,
  status: 'open',
  version: 1,
  openedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

const viewOf = (id: string, version: number, tag: number): AccountView =>
  accountView(id, {
    owner: tag % 2 === 0 ? `${AWKWARD_TEXT} ${tag}` : `owner ${tag}`,
    balance: tag % 3 === 0 ? 1_000_000_000_000 : tag,
    status: tag % 4 === 3 ? 'closed' : 'open',
    version,
    updatedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + tag).toISOString(),
  });

/** What `list` must answer, computed the plain way. */
const expectedList = (views: readonly AccountView[], query: AccountListQuery): AccountView[] =>
  views
    .filter((view) => query.owner === undefined || view.owner === query.owner)
    .filter((view) => query.status === undefined || view.status === query.status)
    .filter((view) => query.minBalance === undefined || view.balance >= query.minBalance)
    .filter((view) => query.maxBalance === undefined || view.balance <= query.maxBalance)
    .filter((view) => query.afterId === undefined || compareCodePoints(view.accountId, query.afterId) > 0)
    .sort((a, b) => compareCodePoints(a.accountId, b.accountId))
    .slice(0, query.limit);

/** Account views: versioned views plus a filtered list in code-point order of ids. */
export function accountViewsContract(name: string, factory: () => Promise<AccountViewsSubject>): void {
  describe(`AccountViews contract: ${name}`, () => {
    const subject = useSubject(factory);
    const views = (): AccountViews => subject.get().views;
    const create = async (created: readonly AccountView[]): Promise<void> => {
      const outcomes = await Promise.all(created.map((view) => views().compareAndSet(view.accountId, view, 0)));
      expect(outcomes.every(Boolean)).toBe(true);
    };
    const ids = (found: readonly AccountView[]): string[] => found.map((view) => view.accountId);

    versionedViewsTests(subject, viewOf);

    it('lists by accountId in code-point order', async () => {
      const prefix = subject.key();
      const owner = `owner ${prefix}`;
      const suffixes = ['a', 'Z', '0', 'A-', '_', 'a0', '-', 'A', 'z', '9'];
      await create(suffixes.map((suffix) => accountView(`${prefix}${suffix}`, { owner })));

      const found = await views().list({ owner, limit: 100 });
      expect(ids(found)).toEqual(['-', '0', '9', 'A', 'A-', 'Z', '_', 'a', 'a0', 'z'].map((suffix) => `${prefix}${suffix}`));
      expect(found.every((view) => view.owner === owner)).toBe(true);
    });

    it('holds views as they are: none changed, none made up for an id without one, all still listed', async () => {
      const prefix = subject.key();
      const owner = `owner ${prefix}`;
      await create(['b', 'a', 'c'].map((suffix) => accountView(`${prefix}${suffix}`, { owner, balance: suffix.charCodeAt(0) })));
      expect(await views().compareAndSet(`${prefix}b`, accountView(`${prefix}b`, { owner, balance: 7, version: 2 }), 1)).toBe(true);
      await views().holdAll([`${prefix}a`, `${prefix}b`, `${prefix}missing`, `${prefix}c`]);
      await views().holdAll([]);
      expect(await views().get(`${prefix}missing`, { fresh: true })).toBeUndefined();
      expect((await views().list({ owner, limit: 10 })).map((view) => [view.accountId, view.version, view.balance])).toEqual([
        [`${prefix}a`, 1, 97],
        [`${prefix}b`, 2, 7],
        [`${prefix}c`, 1, 99],
      ]);
    });

    it('filters by owner, status and an inclusive balance range', async () => {
      const prefix = subject.key();
      const [owner, other] = [`${AWKWARD_TEXT} ${prefix}`, `${AWKWARD_TEXT} ${prefix}x`];
      const mine = [
        accountView(`${prefix}1`, { owner, balance: 0 }),
        accountView(`${prefix}2`, { owner, balance: 10, status: 'closed' }),
        accountView(`${prefix}3`, { owner, balance: 20 }),
        accountView(`${prefix}4`, { owner, balance: 1_000_000_000_000 }),
      ];
      await create([...mine, accountView(`${prefix}5`, { owner: other, balance: 10 })]);
      const list = async (query: Omit<AccountListQuery, 'limit'>): Promise<string[]> => ids(await views().list({ ...query, limit: 100 }));

      expect(await list({ owner })).toEqual(ids(mine));
      expect(await list({ owner: other })).toEqual([`${prefix}5`]);
      expect(await list({ owner, status: 'closed' })).toEqual([`${prefix}2`]);
      expect(await list({ owner, status: 'open' })).toEqual([`${prefix}1`, `${prefix}3`, `${prefix}4`]);
      expect(await list({ owner, minBalance: 10 })).toEqual([`${prefix}2`, `${prefix}3`, `${prefix}4`]);
      expect(await list({ owner, maxBalance: 10 })).toEqual([`${prefix}1`, `${prefix}2`]);
      expect(await list({ owner, minBalance: 10, maxBalance: 20 })).toEqual([`${prefix}2`, `${prefix}3`]);
      expect(await list({ owner, minBalance: 1_000_000_000_000 })).toEqual([`${prefix}4`]);
      expect(await list({ owner, minBalance: 11, maxBalance: 19 })).toEqual([]);
      expect(await list({ owner, status: 'open', minBalance: 1, maxBalance: 20 })).toEqual([`${prefix}3`]);
    });

    it('lists only ids strictly after afterId, at most limit, so pages walk every view once', async () => {
      const prefix = subject.key();
      const owner = `owner ${prefix}`;
      const all = ['a', 'b', 'c', 'd', 'e'].map((suffix) => accountView(`${prefix}${suffix}`, { owner }));
      await create(all);

      expect(ids(await views().list({ owner, afterId: `${prefix}b`, limit: 100 }))).toEqual(ids(all.slice(2)));
      expect(ids(await views().list({ owner, afterId: `${prefix}bb`, limit: 100 }))).toEqual(ids(all.slice(2)));
      expect(ids(await views().list({ owner, afterId: `${prefix}e`, limit: 100 }))).toEqual([]);
      expect(ids(await views().list({ owner, limit: 2 }))).toEqual(ids(all.slice(0, 2)));
      expect(ids(await views().list({ owner, afterId: `${prefix}a`, limit: 3 }))).toEqual(ids(all.slice(1, 4)));

      const walked: string[] = [];
      let afterId: string | undefined;
      for (let page = 0; page < 10; page++) {
        const found = await views().list({ owner, limit: 2, ...(afterId === undefined ? {} : { afterId }) });
        walked.push(...ids(found));
        if (found.length < 2) break;
        afterId = found.at(-1)!.accountId;
      }
      expect(walked).toEqual(ids(all));
    });

    it('lists what a plain filter and sort over the same views would', async () => {
      const suffix = fc.string({ unit: fc.constantFrom(...'-09AZ_az'), minLength: 1, maxLength: 3 });
      const balance = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(1_000_000_000_000));
      const status = fc.constantFrom<AccountStatus>('open', 'closed');
      const entry = fc.record({ suffix, balance, status, mine: fc.boolean() });
      const query = fc.record(
        {
          status,
          minBalance: fc.integer({ min: 0, max: 30 }),
          maxBalance: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant(1_000_000_000_000)),
          afterSuffix: suffix,
          limit: fc.integer({ min: 1, max: 25 }),
        },
        { requiredKeys: ['limit'] },
      );
      const entries = fc.uniqueArray(entry, { selector: (e) => e.suffix, maxLength: 20 });

      await fc.assert(
        fc.asyncProperty(entries, fc.array(query, { minLength: 1, maxLength: 6 }), async (generated, queries) => {
          const prefix = subject.key();
          const owner = `owner ${prefix}`;
          const stored = generated.map((e) =>
            accountView(`${prefix}${e.suffix}`, { owner: e.mine ? owner : `${owner}-not`, balance: e.balance, status: e.status }),
          );
          await create(stored);
          for (const { afterSuffix, ...rest } of queries) {
            const listQuery: AccountListQuery = { ...rest, owner, ...(afterSuffix === undefined ? {} : { afterId: `${prefix}${afterSuffix}` }) };
            expect(await views().list(listQuery)).toStrictEqual(expectedList(stored, listQuery));
          }
        }),
        propertyParameters(60),
      );
    });
  });
}
