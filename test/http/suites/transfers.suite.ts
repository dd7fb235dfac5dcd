import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, get, openAccount, post, readAccount, settledTransfer, uniqueId } from '../support/requests.js';

const requestTransfer = async (http: FastifyInstance, body: Record<string, unknown>): Promise<string> => {
  const response = await post(http, '/transfers', body);
  expectStatus(response, 202);
  const { transferId } = response.json<{ transferId: string }>();
  expect(response.headers['location']).toBe(`/transfers/${transferId}`);
  return transferId;
};

const types = async (http: FastifyInstance, accountId: string, minVersion: number): Promise<string[]> =>
  (await get(http, `/accounts/${accountId}/transactions?minVersion=${minVersion}&waitMs=5000`))
    .json<{ items: { type: string }[] }>()
    .items.map((t) => t.type);

export const transferSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`transfers over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('accepts a transfer (202, Location) and completes it; the sum of balances does not change', async () => {
      const { http } = await fixture.start();
      const from = await openAccount(http, { balance: 1000 });
      const to = await openAccount(http, { balance: 5 });
      const transferId = uniqueId('tr');
      const response = await post(http, '/transfers', { from: from.accountId, to: to.accountId, amount: 300, transferId });
      expectStatus(response, 202);
      expect(response.json()).toEqual({ transferId });
      expect(response.headers['location']).toBe(`/transfers/${transferId}`);
      const settled = await settledTransfer(http, transferId);
      expect(settled).toEqual({ transferId, from: from.accountId, to: to.accountId, amount: 300, status: 'completed' });
      const a = await readAccount(http, from.accountId, 3);
      const b = await readAccount(http, to.accountId, 3);
      expect([a['balance'], b['balance']]).toEqual([700, 305]);
      expect(await types(http, to.accountId, 3)).toEqual(['opened', 'deposit', 'transfer-in']);
    });

    it('makes a transfer id when the client gives none', async () => {
      const { http } = await fixture.start();
      const from = await openAccount(http, { balance: 10 });
      const to = await openAccount(http);
      const transferId = await requestTransfer(http, { from: from.accountId, to: to.accountId, amount: 10 });
      expect(transferId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(await settledTransfer(http, transferId)).toMatchObject({ status: 'completed' });
    });

    it('fails at once when the debit is refused, with a reason', async () => {
      const { http } = await fixture.start();
      const from = await openAccount(http, { balance: 10 });
      const to = await openAccount(http);
      const transferId = await requestTransfer(http, { from: from.accountId, to: to.accountId, amount: 11 });
      expect(await settledTransfer(http, transferId)).toEqual({
        transferId,
        from: from.accountId,
        to: to.accountId,
        amount: 11,
        status: 'failed',
        reason: 'source-insufficient-funds',
      });
      // The account decided the refusal with an event of its own (ADR 0029): its version moves, its
      // balance and its transactions do not.
      expect(await readAccount(http, from.accountId, 3)).toMatchObject({ balance: 10, version: 3 });
      expect(await types(http, from.accountId, 3)).toEqual(['opened', 'deposit']);
    });

    it('fails when the source does not exist', async () => {
      const { http } = await fixture.start();
      const to = await openAccount(http);
      const transferId = await requestTransfer(http, { from: uniqueId('none'), to: to.accountId, amount: 1 });
      expect(await settledTransfer(http, transferId)).toMatchObject({ status: 'failed', reason: 'source-account-not-found' });
    });

    for (const [situation, reason, prepare] of [
      ['does not exist', 'destination-account-not-found', async () => uniqueId('none')],
      [
        'is closed',
        'destination-account-closed',
        async (http: FastifyInstance) => {
          const { accountId } = await openAccount(http);
          expectStatus(await post(http, `/accounts/${accountId}/close`), 200);
          return accountId;
        },
      ],
      ['holds another currency', 'destination-currency-mismatch', async (http: FastifyInstance) => (await openAccount(http, { currency: 'USD' })).accountId],
    ] as const) {
      it(`gives the debit back and fails when the destination ${situation}`, async () => {
        const { http } = await fixture.start();
        const from = await openAccount(http, { balance: 500 });
        const to = await prepare(http);
        const transferId = await requestTransfer(http, { from: from.accountId, to, amount: 200 });
        expect(await settledTransfer(http, transferId)).toEqual({ transferId, from: from.accountId, to, amount: 200, status: 'failed', reason });
        expect(await readAccount(http, from.accountId, 4)).toMatchObject({ balance: 500, version: 4 });
        expect(await types(http, from.accountId, 4)).toEqual(['opened', 'deposit', 'transfer-out', 'transfer-refund']);
      });
    }

    it('refuses a transfer from an account to itself: 400', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 10 });
      expectProblem(await post(http, '/transfers', { from: accountId, to: accountId, amount: 1 }), 400, '/problems/validation');
    });

    it('refuses malformed transfers: 400', async () => {
      const { http } = await fixture.start();
      for (const body of [
        { from: 'a', to: 'b' },
        { from: 'a', amount: 1 },
        { from: 'a', to: 'b', amount: '1' },
        { from: 'a', to: 'b', amount: 0 },
        { from: 'a b', to: 'b', amount: 1 },
        { from: 'a', to: 'b', amount: 1, transferId: 'no/slash' },
        { from: 'a', to: 'b', amount: 1, currency: 'KRW' },
      ]) {
        expectProblem(await post(http, '/transfers', body), 400, '/problems/validation');
      }
    });

    it('refuses a transfer id that exists already: 409 duplicate', async () => {
      const { http } = await fixture.start();
      const from = await openAccount(http, { balance: 10 });
      const to = await openAccount(http);
      const transferId = await requestTransfer(http, { from: from.accountId, to: to.accountId, amount: 1, transferId: uniqueId('tr') });
      expectProblem(await post(http, '/transfers', { from: from.accountId, to: to.accountId, amount: 1, transferId }), 409, '/problems/duplicate');
    });
  });
};
