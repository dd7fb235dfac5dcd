import { afterEach, describe, expect, it } from 'vitest';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, get, openAccount, post, postRaw, readAccount, uniqueId } from '../support/requests.js';

export const accountCommandSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`account commands over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('opens an account: 201, version 1, Location and ETag', async () => {
      const { http } = await fixture.start();
      const accountId = uniqueId('open');
      const response = await post(http, '/accounts', { accountId, owner: 'Ann', currency: 'USD' });
      expectStatus(response, 201);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ accountId, version: 1 });
      expect(response.headers['location']).toBe(`/accounts/${accountId}`);
      expect(response.headers['etag']).toBe('"1"');
      expect(await readAccount(http, accountId)).toMatchObject({ accountId, owner: 'Ann', currency: 'USD', balance: 0, status: 'open' });
    });

    it('makes an id when the client gives none, and defaults the currency to KRW', async () => {
      const { http } = await fixture.start();
      const response = await post(http, '/accounts', { owner: 'Bob' });
      expectStatus(response, 201);
      const { accountId } = response.json<{ accountId: string }>();
      expect(accountId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(response.headers['location']).toBe(`/accounts/${accountId}`);
      expect(await readAccount(http, accountId)).toMatchObject({ currency: 'KRW', owner: 'Bob' });
    });

    it('refuses an account id that exists already: 409 duplicate', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http);
      expectProblem(await post(http, '/accounts', { accountId, owner: 'Eve' }), 409, '/problems/duplicate');
    });

    it('deposits and withdraws: 200 with the new version as body and ETag', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http);
      const deposited = await post(http, `/accounts/${accountId}/deposits`, { amount: 1000 });
      expectStatus(deposited, 200);
      expect(deposited.json()).toEqual({ accountId, version: 2 });
      expect(deposited.headers['etag']).toBe('"2"');
      const withdrawn = await post(http, `/accounts/${accountId}/withdrawals`, { amount: 400 });
      expectStatus(withdrawn, 200);
      expect(withdrawn.json()).toEqual({ accountId, version: 3 });
      expect(withdrawn.headers['etag']).toBe('"3"');
      expect(await readAccount(http, accountId, 3)).toMatchObject({ balance: 600, version: 3 });
    });

    it('takes the largest amount and refuses one more', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http);
      expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 1_000_000_000_000 }), 200);
      expectProblem(await post(http, `/accounts/${accountId}/deposits`, { amount: 1_000_000_000_001 }), 400, '/problems/validation');
    });

    it('refuses a withdrawal over the balance: 422 insufficient-funds, nothing changes', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 100 });
      expectProblem(await post(http, `/accounts/${accountId}/withdrawals`, { amount: 101 }), 422, '/problems/insufficient-funds');
      expect(await readAccount(http, accountId, 2)).toMatchObject({ balance: 100, version: 2 });
    });

    it('answers 404 for a command on an unknown account', async () => {
      const { http } = await fixture.start();
      const missing = uniqueId('missing');
      expectProblem(await post(http, `/accounts/${missing}/deposits`, { amount: 1 }), 404, '/problems/not-found');
      expectProblem(await post(http, `/accounts/${missing}/withdrawals`, { amount: 1 }), 404, '/problems/not-found');
      expectProblem(await post(http, `/accounts/${missing}/close`), 404, '/problems/not-found');
    });

    it('closes only at balance 0 (422 balance-not-zero), then refuses commands (422 account-closed)', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 50 });
      expectProblem(await post(http, `/accounts/${accountId}/close`), 422, '/problems/balance-not-zero');
      expectStatus(await post(http, `/accounts/${accountId}/withdrawals`, { amount: 50 }), 200);
      const closed = await post(http, `/accounts/${accountId}/close`);
      expectStatus(closed, 200);
      expect(closed.json()).toEqual({ accountId, version: 4 });
      expect(closed.headers['etag']).toBe('"4"');
      expectProblem(await post(http, `/accounts/${accountId}/deposits`, { amount: 1 }), 422, '/problems/account-closed');
      expectProblem(await post(http, `/accounts/${accountId}/withdrawals`, { amount: 1 }), 422, '/problems/account-closed');
      expectProblem(await post(http, `/accounts/${accountId}/close`), 422, '/problems/account-closed');
      expect(await readAccount(http, accountId, 4)).toMatchObject({ status: 'closed', balance: 0 });
    });

    it('closes with no body, with {}, and with a JSON content type but no body', async () => {
      const { http } = await fixture.start();
      for (const send of [
        (id: string) => post(http, `/accounts/${id}/close`),
        (id: string) => post(http, `/accounts/${id}/close`, {}),
        (id: string) => postRaw(http, `/accounts/${id}/close`, '', { 'content-type': 'application/json' }),
      ]) {
        const { accountId } = await openAccount(http);
        const response = await send(accountId);
        expectStatus(response, 200);
        expect(response.json()).toEqual({ accountId, version: 2 });
      }
      const { accountId } = await openAccount(http);
      expectProblem(await post(http, `/accounts/${accountId}/close`, { force: true }), 400, '/problems/validation');
    });

    describe('If-Match', () => {
      it('applies a command at the matching version', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http);
        const response = await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'if-match': '"1"' });
        expectStatus(response, 200);
        expect(response.headers['etag']).toBe('"2"');
        const closedAt = await post(http, `/accounts/${accountId}/withdrawals`, { amount: 5 }, { 'if-match': '"2"' });
        expect(closedAt.headers['etag']).toBe('"3"');
        expectStatus(await post(http, `/accounts/${accountId}/close`, undefined, { 'if-match': '"3"' }), 200);
      });

      it('refuses another version: 412 version-mismatch, nothing changes', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http, { balance: 10 });
        expectProblem(await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'if-match': '"1"' }), 412, '/problems/version-mismatch');
        expectProblem(await post(http, `/accounts/${accountId}/withdrawals`, { amount: 5 }, { 'if-match': '"3"' }), 412, '/problems/version-mismatch');
        expectProblem(await post(http, `/accounts/${accountId}/close`, {}, { 'if-match': '"1"' }), 412, '/problems/version-mismatch');
        const next = await post(http, `/accounts/${accountId}/deposits`, { amount: 1 });
        expect(next.json()).toEqual({ accountId, version: 3 });
      });

      it('takes * as any version of an existing account', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http, { balance: 10 });
        const response = await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'if-match': '*' });
        expectStatus(response, 200);
        expect(response.headers['etag']).toBe('"3"');
        expectProblem(await post(http, `/accounts/${uniqueId('none')}/deposits`, { amount: 5 }, { 'if-match': '*' }), 404, '/problems/not-found');
      });

      it('refuses a malformed If-Match: 400', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http);
        for (const value of ['1', 'W/"1"', '"1", "2"', '"x"', '"-1"', '""', '"99999999999999999"']) {
          expectProblem(await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, { 'if-match': value }), 400, '/problems/validation');
        }
        expect((await post(http, `/accounts/${accountId}/deposits`, { amount: 5 })).json()).toEqual({ accountId, version: 2 });
      });
    });

    it('answers with the account read model after commands (ETag of GET = version)', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 70 });
      const response = await get(http, `/accounts/${accountId}?minVersion=2`);
      expect(response.headers['etag']).toBe('"2"');
    });
  });
};
