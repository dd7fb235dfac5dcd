import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../src/application/ports/backend-errors.js';
import { ContentionTimeoutError } from '../../../src/application/ports/backend-errors.js';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, get, openAccount, post, postRaw, uniqueId } from '../support/requests.js';

const json = { 'content-type': 'application/json' };

export const protocolSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`HTTP protocol and validation (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    describe('400 validation', () => {
      it('refuses malformed JSON', async () => {
        const { http } = await fixture.start();
        const body = expectProblem(await postRaw(http, '/accounts', '{"owner": "Ann"', json), 400, '/problems/validation');
        expect(body['detail']).toMatch(/JSON/);
      });

      it('refuses unknown properties and lists what was wrong', async () => {
        const { http } = await fixture.start();
        const body = expectProblem(await post(http, '/accounts', { owner: 'Ann', vip: true }), 400, '/problems/validation');
        expect(body['errors']).toEqual([expect.objectContaining({ in: 'body', message: expect.any(String) })]);
      });

      it('refuses values of the wrong JSON type: no coercion of bodies', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http);
        for (const amount of ['10', 0, -1, 1.5, null, true, [10], { value: 10 }, 1_000_000_000_001]) {
          expectProblem(await post(http, `/accounts/${accountId}/deposits`, { amount }), 400, '/problems/validation');
        }
        expectProblem(await post(http, `/accounts/${accountId}/deposits`, {}), 400, '/problems/validation');
        expectProblem(await post(http, `/accounts/${accountId}/deposits`), 400, '/problems/validation');
        expectProblem(await post(http, `/accounts/${accountId}/deposits`, [{ amount: 1 }]), 400, '/problems/validation');
        expectProblem(await post(http, '/accounts', { owner: 42 }), 400, '/problems/validation');
        expect((await post(http, `/accounts/${accountId}/deposits`, { amount: 1 })).json()).toEqual({ accountId, version: 2 });
      });

      it('checks owner length, currency and ids of the body', async () => {
        const { http } = await fixture.start();
        for (const body of [
          { owner: '' },
          { owner: 'x'.repeat(101) },
          { owner: 'Ann', currency: 'usd' },
          { owner: 'Ann', currency: 'EURO' },
          { owner: 'Ann', accountId: 'has space' },
          { owner: 'Ann', accountId: 'x'.repeat(65) },
          { owner: 'Ann', accountId: '' },
          {},
        ]) {
          expectProblem(await post(http, '/accounts', body), 400, '/problems/validation');
        }
        expectStatus(await post(http, '/accounts', { owner: 'x'.repeat(100), accountId: `${uniqueId('o')}_-Az9` }), 201);
      });

      it('refuses __proto__ and constructor keys', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http);
        const url = `/accounts/${accountId}/deposits`;
        for (const payload of [
          '{"amount": 5, "__proto__": {"admin": true}}',
          '{"amount": 5, "constructor": {"prototype": {"admin": true}}}',
          '{"amount": 5, "constructor": 1}',
        ]) {
          expectProblem(await postRaw(http, url, payload, json), 400, '/problems/validation');
        }
        expectProblem(await postRaw(http, '/accounts', '{"owner": "Ann", "__proto__": {"x": 1}}', json), 400, '/problems/validation');
        expect((await post(http, url, { amount: 5 })).json()).toEqual({ accountId, version: 2 });
      });

      it('refuses a malformed id in the path (a well-formed unknown one is 404)', async () => {
        const { http } = await fixture.start();
        for (const id of ['has%20space', 'x'.repeat(65), 'semi%3Bcolon', '%C3%A9t%C3%A9']) {
          expectProblem(await post(http, `/accounts/${id}/deposits`, { amount: 1 }), 400, '/problems/validation');
          expectProblem(await get(http, `/accounts/${id}`), 400, '/problems/validation');
          expectProblem(await get(http, `/accounts/${id}/transactions`), 400, '/problems/validation');
          expectProblem(await get(http, `/transfers/${id}`), 400, '/problems/validation');
        }
        expectProblem(await get(http, `/accounts/${'x'.repeat(64)}`), 404, '/problems/not-found');
      });

      it('refuses a malformed Idempotency-Key', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http);
        for (const key of ['x'.repeat(129), 'has space', 'tab\there', 'caf\u00e9', '']) {
          expectProblem(
            await post(http, `/accounts/${accountId}/deposits`, { amount: 1 }, { 'idempotency-key': key }),
            400,
            '/problems/validation',
          );
        }
        expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 1 }, { 'idempotency-key': '!'.repeat(128) }), 200);
        expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 1 }, { 'idempotency-key': '~' }), 200);
      });

      it('refuses bad query parameters', async () => {
        const { http } = await fixture.start();
        const { accountId } = await openAccount(http);
        for (const query of [
          'limit=abc',
          'limit=0',
          'limit=501',
          'limit=1.5',
          'limit=',
          'limit=1&limit=2',
          'foo=1',
          'status=frozen',
          'minBalance=-1',
          'minBalance=x',
          'minBalance=10&maxBalance=9',
          'owner=',
          'cursor=not-a-cursor',
        ]) {
          expectProblem(await get(http, `/accounts?${query}`), 400, '/problems/validation');
        }
        for (const query of ['minVersion=-1', 'minVersion=a', 'waitMs=5001', 'waitMs=-1', 'limit=9', 'other=1']) {
          expectProblem(await get(http, `/accounts/${accountId}?${query}`), 400, '/problems/validation');
        }
        for (const query of ['limit=0', 'limit=501', 'cursor=%7B%7D', 'waitMs=x', 'since=1']) {
          expectProblem(await get(http, `/accounts/${accountId}/transactions?${query}`), 400, '/problems/validation');
        }
        expectProblem(await post(http, `/accounts/${accountId}/deposits?amount=1`, { amount: 1 }), 400, '/problems/validation');
        expectStatus(await get(http, '/accounts?limit=500&minBalance=0&maxBalance=0'), 200);
      });
    });

    it('refuses a body over 1 MiB: 413 payload-too-large', async () => {
      const { http } = await fixture.start();
      const payload = JSON.stringify({ owner: 'Ann', padding: 'x'.repeat(1024 * 1024) });
      expectProblem(await postRaw(http, '/accounts', payload, json), 413, '/problems/payload-too-large');
    });

    it('refuses a body that is not application/json: 415', async () => {
      const { http } = await fixture.start();
      const body = JSON.stringify({ owner: 'Ann' });
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/problem+json']) {
        expectProblem(await postRaw(http, '/accounts', body, { 'content-type': contentType }), 415, '/problems/unsupported-media-type');
      }
      expectProblem(await postRaw(http, '/accounts', body, {}), 415, '/problems/unsupported-media-type');
      expectStatus(await postRaw(http, '/accounts', body, { 'content-type': 'application/json; charset=utf-8' }), 201);
    });

    it('answers an unknown route with 404 not-found', async () => {
      const { http } = await fixture.start();
      for (const url of ['/nothing', '/accounts/x/y/z', '/accounts/x/deposits/1', '/transfers/a/b']) {
        expectProblem(await get(http, url), 404, '/problems/not-found');
      }
      expectProblem(await post(http, '/nothing', {}), 404, '/problems/not-found');
      expectProblem(await postRaw(http, '/nothing', 'plain text', { 'content-type': 'text/plain' }), 404, '/problems/not-found');
      expectProblem(await postRaw(http, '/nothing', '{not json', json), 404, '/problems/not-found');
      expectProblem(await get(http, '/docs/static/no-such-file.js'), 404, '/problems/not-found');
      // An empty id segment is a malformed id.
      expectProblem(await get(http, '/accounts/'), 400, '/problems/validation');
    });

    it('answers a known path with another method with 405 and Allow', async () => {
      const { http } = await fixture.start();
      const cases: [string, string, string][] = [
        ['DELETE', '/accounts', 'GET, HEAD, POST'],
        ['PUT', '/accounts/abc', 'GET, HEAD'],
        ['GET', '/accounts/abc/deposits', 'POST'],
        ['GET', '/accounts/abc/withdrawals', 'POST'],
        ['GET', '/accounts/abc/close', 'POST'],
        ['POST', '/accounts/abc/transactions', 'GET, HEAD'],
        ['GET', '/transfers', 'POST'],
        ['DELETE', '/transfers/t1', 'GET, HEAD'],
        ['POST', '/health', 'GET, HEAD'],
        ['POST', '/metrics', 'GET, HEAD'],
        ['PATCH', '/admin/projections', 'GET, HEAD'],
        ['OPTIONS', '/accounts', 'GET, HEAD, POST'],
      ];
      for (const [method, url, allow] of cases) {
        const response = await http.inject({ method: method as 'GET', url });
        expectProblem(response, 405, '/problems/method-not-allowed');
        expect(response.headers['allow']).toBe(allow);
      }
    });

    it('answers a bug with 500 internal and no internals', async () => {
      const { http, application } = await fixture.start();
      const { accountId } = await openAccount(http);
      application.accounts.deposit = async () => {
        throw new TypeError('secret internals at /srv/db password=hunter2');
      };
      const response = await post(http, `/accounts/${accountId}/deposits`, { amount: 1 });
      const body = expectProblem(response, 500, '/problems/internal');
      expect(response.body).not.toMatch(/secret|hunter2|TypeError/);
      expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title', 'type']);
    });

    it('answers 503 unavailable when the backend does not answer or stays contended', async () => {
      const { http, application } = await fixture.start();
      const { accountId } = await openAccount(http);
      application.accounts.deposit = async () => {
        throw new BackendUnavailableError('cluster 10.0.0.7:5701 did not answer');
      };
      application.accounts.withdraw = async () => {
        throw new ContentionTimeoutError('account stayed contended');
      };
      const unreachable = await post(http, `/accounts/${accountId}/deposits`, { amount: 1 });
      expectProblem(unreachable, 503, '/problems/unavailable');
      expect(unreachable.body).not.toMatch(/10\.0\.0\.7/);
      expectProblem(await post(http, `/accounts/${accountId}/withdrawals`, { amount: 1 }), 503, '/problems/unavailable');
    });
  });
};
