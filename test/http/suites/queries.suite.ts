import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, get, openAccount, post, readAccount, uniqueId } from '../support/requests.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Walks a paged list from the first page until nextCursor is null. */
const allPages = async <T>(http: FastifyInstance, url: string): Promise<{ items: T[]; pages: number }> => {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const response = await get(http, cursor === null ? url : `${url}${separator}cursor=${encodeURIComponent(cursor)}`);
    expectStatus(response, 200);
    const page = response.json<Page<T>>();
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null && pages < 100);
  return { items, pages };
};

const ACCOUNT_KEYS = ['accountId', 'balance', 'currency', 'openedAt', 'owner', 'status', 'updatedAt', 'version'];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export const querySuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`queries over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('reads an account: exactly the contract fields, ETag of its version', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { owner: 'Ann', balance: 250 });
      const response = await get(http, `/accounts/${accountId}?minVersion=2`);
      expectStatus(response, 200);
      const body = response.json<Record<string, unknown>>();
      expect(Object.keys(body).sort()).toEqual(ACCOUNT_KEYS);
      expect(body).toMatchObject({ accountId, owner: 'Ann', currency: 'KRW', balance: 250, status: 'open', version: 2 });
      expect(body['openedAt']).toMatch(ISO_UTC);
      expect(body['updatedAt']).toMatch(ISO_UTC);
      expect(response.headers['etag']).toBe('"2"');
    });

    it('answers 404 for an unknown account or transfer', async () => {
      const { http } = await fixture.start();
      expectProblem(await get(http, `/accounts/${uniqueId('none')}`), 404, '/problems/not-found');
      expectProblem(await get(http, `/accounts/${uniqueId('none')}/transactions`), 404, '/problems/not-found');
      expectProblem(await get(http, `/transfers/${uniqueId('none')}`), 404, '/problems/not-found');
    });

    it('reads its own writes with minVersion', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http);
      for (let i = 1; i <= 5; i++) {
        const { version } = (await post(http, `/accounts/${accountId}/deposits`, { amount: 10 })).json<{ version: number }>();
        const response = await get(http, `/accounts/${accountId}?minVersion=${version}`);
        expectStatus(response, 200);
        expect(response.json()).toMatchObject({ version, balance: 10 * i });
        const transactions = await get(http, `/accounts/${accountId}/transactions?minVersion=${version}`);
        expect(transactions.headers['etag']).toBe(`"${version}"`);
        expect(transactions.json<Page<unknown>>().items).toHaveLength(version);
      }
    });

    it('answers 503 read-model-lagging with Retry-After when minVersion is not reached in time', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http);
      const account = await get(http, `/accounts/${accountId}?minVersion=1000&waitMs=20`);
      expectProblem(account, 503, '/problems/read-model-lagging');
      expect(account.headers['retry-after']).toBe('1');
      const transactions = await get(http, `/accounts/${accountId}/transactions?minVersion=1000&waitMs=0`);
      expectProblem(transactions, 503, '/problems/read-model-lagging');
      expect(transactions.headers['retry-after']).toBe('1');
    });

    it('lists transactions by ascending version, page by page, with transferId on transfer entries', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 1000 });
      const other = await openAccount(http);
      for (const amount of [100, 200, 300]) expectStatus(await post(http, `/accounts/${accountId}/withdrawals`, { amount }), 200);
      const transferId = uniqueId('tr');
      expectStatus(await post(http, '/transfers', { from: accountId, to: other.accountId, amount: 50, transferId }), 202);
      await readAccount(http, accountId, 6);
      const { items, pages } = await allPages<Record<string, unknown>>(http, `/accounts/${accountId}/transactions?limit=2&minVersion=6`);
      expect(pages).toBe(3);
      expect(items.map((t) => [t['version'], t['type'], t['amount'], t['balanceAfter']])).toEqual([
        [1, 'opened', 0, 0],
        [2, 'deposit', 1000, 1000],
        [3, 'withdrawal', 100, 900],
        [4, 'withdrawal', 200, 700],
        [5, 'withdrawal', 300, 400],
        [6, 'transfer-out', 50, 350],
      ]);
      expect(items[5]).toMatchObject({ transferId });
      for (const item of items) {
        expect(Object.keys(item).every((key) => ['version', 'type', 'amount', 'balanceAfter', 'at', 'transferId'].includes(key))).toBe(true);
        expect(item['at']).toMatch(ISO_UTC);
      }
      expect(items.slice(0, 5).every((item) => !('transferId' in item))).toBe(true);
      const all = await get(http, `/accounts/${accountId}/transactions`);
      expect(all.json<Page<unknown>>()).toMatchObject({ nextCursor: null });
      expect(all.headers['etag']).toBe('"6"');
    });

    it('lists accounts in code-point order of accountId, page by page', async () => {
      const { http } = await fixture.start();
      const owner = uniqueId('owner');
      const prefix = uniqueId('p');
      const suffixes = ['b', 'B', 'a', 'A', '_', '-', '0', '9', 'z', 'Z', 'aa', 'a_', 'a-'];
      for (const suffix of suffixes) await openAccount(http, { accountId: `${prefix}${suffix}`, owner });
      for (const suffix of suffixes) await readAccount(http, `${prefix}${suffix}`);
      const { items, pages } = await allPages<{ accountId: string }>(http, `/accounts?owner=${owner}&limit=4`);
      const expected = suffixes.map((s) => `${prefix}${s}`).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      expect(items.map((a) => a.accountId)).toEqual(expected);
      expect(pages).toBe(4);
      for (const item of items) expect(Object.keys(item).sort()).toEqual(ACCOUNT_KEYS);
      const defaultPage = await get(http, `/accounts?owner=${owner}`);
      expect(defaultPage.json<Page<unknown>>()).toMatchObject({ nextCursor: null });
      expect(defaultPage.json<Page<unknown>>().items).toHaveLength(suffixes.length);
    });

    it('filters by owner, status and an inclusive balance band', async () => {
      const { http } = await fixture.start();
      const owner = uniqueId('owner');
      const other = uniqueId('owner');
      const made: Record<string, string> = {};
      for (const [name, balance] of [['zero', 0], ['ten', 10], ['twenty', 20], ['thirty', 30]] as const) {
        made[name] = (await openAccount(http, { owner, balance })).accountId;
      }
      const closed = await openAccount(http, { owner });
      expectStatus(await post(http, `/accounts/${closed.accountId}/close`), 200);
      await openAccount(http, { owner: other, balance: 20 });
      await readAccount(http, closed.accountId, 2);
      for (const name of ['ten', 'twenty', 'thirty']) await readAccount(http, made[name]!, 2);
      const ids = async (query: string): Promise<string[]> =>
        (await allPages<{ accountId: string }>(http, `/accounts?owner=${owner}&${query}`)).items.map((a) => a.accountId).sort();

      expect(await ids('limit=50')).toEqual([made['zero'], made['ten'], made['twenty'], made['thirty'], closed.accountId].sort());
      expect(await ids('status=closed')).toEqual([closed.accountId]);
      expect(await ids('status=open&minBalance=10&maxBalance=20')).toEqual([made['ten'], made['twenty']].sort());
      expect(await ids('minBalance=20')).toEqual([made['twenty'], made['thirty']].sort());
      expect(await ids('maxBalance=0')).toEqual([made['zero'], closed.accountId].sort());
      expect(await ids('minBalance=30&maxBalance=30')).toEqual([made['thirty']]);
      expect(await ids('minBalance=11&maxBalance=19')).toEqual([]);
      const filtered = await allPages<{ owner: string }>(http, `/accounts?owner=${other}`);
      expect(filtered.items.map((a) => a.owner)).toEqual([other]);
    });
  });
};
