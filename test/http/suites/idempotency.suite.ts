import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../src/application/ports/backend-errors.js';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, openAccount, post, readAccount, settledTransfer, uniqueId } from '../support/requests.js';

const REPLAYED = ['etag', 'location', 'content-type', 'retry-after'] as const;

/** What a replay must repeat: status, body and the replayed headers. */
const answerOf = (response: LightMyRequestResponse) => ({
  status: response.statusCode,
  body: response.body,
  headers: Object.fromEntries(REPLAYED.map((name) => [name, response.headers[name]])),
});

const TOKENS = new Map([
  ['writer-one-token-0001', new Set(['read', 'write'] as const)],
  ['writer-two-token-0002', new Set(['read', 'write'] as const)],
]);

export const idempotencySuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`Idempotency-Key over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('replays a deposit exactly and applies it once', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 100 });
      const key = uniqueId('key');
      const first = await post(http, `/accounts/${accountId}/deposits`, { amount: 40 }, { 'idempotency-key': key });
      expectStatus(first, 200);
      const again = await post(http, `/accounts/${accountId}/deposits`, { amount: 40 }, { 'idempotency-key': key });
      expect(answerOf(again)).toEqual(answerOf(first));
      expect(first.headers['etag']).toBe('"3"');
      // The next command lands right after the first deposit: the replay appended nothing.
      expect((await post(http, `/accounts/${accountId}/deposits`, { amount: 1 })).json()).toEqual({ accountId, version: 4 });
      expect(await readAccount(http, accountId, 4)).toMatchObject({ balance: 141, version: 4 });
    });

    it('replays an opening with its 201, Location and ETag; the body key order does not matter', async () => {
      const { http } = await fixture.start();
      const key = uniqueId('key');
      const accountId = uniqueId('acc');
      const first = await post(http, '/accounts', { owner: 'Ann', accountId, currency: 'EUR' }, { 'idempotency-key': key });
      expectStatus(first, 201);
      const again = await post(http, '/accounts', { currency: 'EUR', accountId, owner: 'Ann' }, { 'idempotency-key': key });
      expect(answerOf(again)).toEqual(answerOf(first));
      expect(again.headers['location']).toBe(`/accounts/${accountId}`);
    });

    it('replays a transfer (202, Location) and moves the money once', async () => {
      const { http } = await fixture.start();
      const from = await openAccount(http, { balance: 100 });
      const to = await openAccount(http);
      const key = uniqueId('key');
      const body = { from: from.accountId, to: to.accountId, amount: 60 };
      const first = await post(http, '/transfers', body, { 'idempotency-key': key });
      expectStatus(first, 202);
      const again = await post(http, '/transfers', body, { 'idempotency-key': key });
      expect(answerOf(again)).toEqual(answerOf(first));
      await settledTransfer(http, first.json<{ transferId: string }>().transferId);
      expect(await readAccount(http, from.accountId, 3)).toMatchObject({ balance: 40, version: 3 });
      expect(await readAccount(http, to.accountId, 2)).toMatchObject({ balance: 60, version: 2 });
    });

    it('remembers a refusal (4xx) too: the retry gets it even after the rule would pass', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 10 });
      const key = uniqueId('key');
      const first = await post(http, `/accounts/${accountId}/withdrawals`, { amount: 50 }, { 'idempotency-key': key });
      expectProblem(first, 422, '/problems/insufficient-funds');
      expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 100 }), 200);
      const again = await post(http, `/accounts/${accountId}/withdrawals`, { amount: 50 }, { 'idempotency-key': key });
      expect(answerOf(again)).toEqual(answerOf(first));
    });

    it('refuses the same key with another body or path: 422 idempotency-key-reused', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 100 });
      const key = uniqueId('key');
      expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 10 }, { 'idempotency-key': key }), 200);
      expectProblem(
        await post(http, `/accounts/${accountId}/deposits`, { amount: 11 }, { 'idempotency-key': key }),
        422,
        '/problems/idempotency-key-reused',
      );
      expectProblem(
        await post(http, `/accounts/${accountId}/withdrawals`, { amount: 10 }, { 'idempotency-key': key }),
        422,
        '/problems/idempotency-key-reused',
      );
      expect((await post(http, `/accounts/${accountId}/deposits`, { amount: 1 })).json()).toEqual({ accountId, version: 4 });
    });

    it('answers 409 request-in-flight to a retry while the first request still runs', async () => {
      const { http, application } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 100 });
      const deposit = application.accounts.deposit.bind(application.accounts);
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      application.accounts.deposit = async (...args) => {
        arrive();
        await released;
        return deposit(...args);
      };
      const key = uniqueId('key');
      const first = post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'idempotency-key': key });
      await arrived;
      expectProblem(
        await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'idempotency-key': key }),
        409,
        '/problems/request-in-flight',
      );
      release();
      const firstAnswer = await first;
      expect(firstAnswer.json()).toEqual({ accountId, version: 3 });
      const retry = await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'idempotency-key': key });
      expect(answerOf(retry)).toEqual(answerOf(firstAnswer));
    });

    it('forgets a 5xx answer: the retry runs the command', async () => {
      const { http, application } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 100 });
      const deposit = application.accounts.deposit.bind(application.accounts);
      let failures = 1;
      application.accounts.deposit = async (...args) => {
        if (failures-- > 0) throw new BackendUnavailableError('timed out');
        return deposit(...args);
      };
      const key = uniqueId('key');
      expectProblem(await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'idempotency-key': key }), 503, '/problems/unavailable');
      const retry = await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'idempotency-key': key });
      expectStatus(retry, 200);
      expect(retry.json()).toEqual({ accountId, version: 3 });
    });

    it('scopes keys by token: two callers with the same key get their own answers', async () => {
      const { http } = await fixture.start({ apiTokens: TOKENS });
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      const opened = await post(http, '/accounts', { owner: 'Ann' }, as('writer-one-token-0001'));
      const { accountId } = opened.json<{ accountId: string }>();
      const key = uniqueId('key');
      const one = await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { ...as('writer-one-token-0001'), 'idempotency-key': key });
      const two = await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { ...as('writer-two-token-0002'), 'idempotency-key': key });
      expect([one.json(), two.json()]).toEqual([
        { accountId, version: 2 },
        { accountId, version: 3 },
      ]);
      const oneAgain = await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { ...as('writer-one-token-0001'), 'idempotency-key': key });
      expect(answerOf(oneAgain)).toEqual(answerOf(one));
    });

    it('treats a close without body and with {} as the same request', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http);
      const key = uniqueId('key');
      const first = await post(http, `/accounts/${accountId}/close`, undefined, { 'idempotency-key': key });
      expectStatus(first, 200);
      expect(answerOf(await post(http, `/accounts/${accountId}/close`, {}, { 'idempotency-key': key }))).toEqual(answerOf(first));
    });
  });
};
