import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../../src/adapters/http/build-http-app.js';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, get, post, uniqueId } from '../support/requests.js';

const READER = 'reader-token-000000001';
const WRITER = 'writer-token-000000002';
const ADMIN = 'admin-token-0000000003';
const ALL = 'all-scopes-token-00004';
const tokens = () => parseApiTokens(`${READER}:read,${WRITER}:write, ${ADMIN}:admin,${ALL}:read+write+admin`);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const authSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`bearer tokens over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('serves /health without a token', async () => {
      const { http } = await fixture.start({ apiTokens: tokens() });
      const response = await get(http, '/health');
      expectStatus(response, 200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('answers 401 with WWW-Authenticate: Bearer without a known token', async () => {
      const { http } = await fixture.start({ apiTokens: tokens() });
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer unknown-token-0000000' },
        { authorization: `Basic ${Buffer.from(`x:${READER}`).toString('base64')}` },
        { authorization: READER },
        { authorization: 'Bearer' },
        { authorization: `Bearer ${READER}x` },
      ];
      for (const headers of attempts) {
        for (const url of ['/accounts', '/accounts/a1', '/ready', '/metrics', '/openapi.json', '/docs', '/admin/projections', '/nowhere']) {
          const response = await get(http, url, headers);
          expectProblem(response, 401, '/problems/unauthorized');
          expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
        }
        const command = await post(http, '/accounts', { owner: 'Ann' }, headers);
        expectProblem(command, 401, '/problems/unauthorized');
        expect(command.headers['www-authenticate']).toMatch(/^Bearer\b/);
      }
    });

    it('answers 403 forbidden to a token without the scope of the route', async () => {
      const { http } = await fixture.start({ apiTokens: tokens() });
      expectProblem(await post(http, '/accounts', { owner: 'Ann' }, bearer(READER)), 403, '/problems/forbidden');
      expectProblem(await post(http, '/transfers', { from: 'a', to: 'b', amount: 1 }, bearer(ADMIN)), 403, '/problems/forbidden');
      for (const url of ['/accounts', '/accounts/a1', '/accounts/a1/transactions', '/transfers/t1', '/ready', '/metrics', '/openapi.json', '/docs']) {
        expectProblem(await get(http, url, bearer(WRITER)), 403, '/problems/forbidden');
        expectProblem(await get(http, url, bearer(ADMIN)), 403, '/problems/forbidden');
      }
      for (const token of [READER, WRITER]) {
        expectProblem(await get(http, '/admin/projections', bearer(token)), 403, '/problems/forbidden');
        expectProblem(await get(http, '/admin/parked', bearer(token)), 403, '/problems/forbidden');
        expectProblem(await post(http, '/admin/parked/accounts/a1/retry', undefined, bearer(token)), 403, '/problems/forbidden');
      }
    });

    it('lets each scope do its part', async () => {
      const { http } = await fixture.start({ apiTokens: tokens() });
      const accountId = uniqueId('acc');
      expectStatus(await post(http, '/accounts', { owner: 'Ann', accountId }, bearer(WRITER)), 201);
      expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 5 }, bearer(ALL)), 200);
      expectStatus(await get(http, `/accounts/${accountId}?minVersion=2`, bearer(READER)), 200);
      for (const url of ['/accounts', '/ready', '/metrics', '/openapi.json', '/docs']) expectStatus(await get(http, url, bearer(READER)), 200);
      expectStatus(await get(http, '/admin/projections', bearer(ADMIN)), 200);
      expectStatus(await get(http, '/admin/parked', bearer(ADMIN)), 200);
      expectProblem(await get(http, '/nowhere', bearer(WRITER)), 404, '/problems/not-found');
    });

    it('never logs the token', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const { http } = await fixture.start({
        apiTokens: tokens(),
        // A serializer that does log headers: the redaction must still hide the token.
        logger: { stream, serializers: { req: (req: { headers: unknown }) => ({ headers: req.headers }) } },
      });
      expectStatus(await get(http, '/accounts', bearer(READER)), 200);
      expectProblem(await get(http, '/accounts', bearer('unknown-token-0000000')), 401, '/problems/unauthorized');
      const log = lines.join('');
      expect(log).toContain('[redacted]');
      expect(log).not.toContain(READER);
      expect(log).not.toContain('unknown-token-0000000');
    });

    it('parses API_TOKENS, and refuses bad values with one message that names API_TOKENS and no secret', () => {
      expect(parseApiTokens('abcdefghijklmnop:read+write,QRSTUVWXYZ0123456789:admin')).toEqual(
        new Map([
          ['abcdefghijklmnop', new Set(['read', 'write'])],
          ['QRSTUVWXYZ0123456789', new Set(['admin'])],
        ]),
      );
      for (const value of [
        '',
        'abcdefghijklmnop',
        'abcdefghijklmnop:',
        'abcdefghijklmnop:root',
        'abcdefghijklmnop:read+',
        'short:read',
        'abcdefghijklmnop:read,abcdefghijklmnop:write',
        'abcdefghij klmnop:read',
        ':read',
      ]) {
        expect(() => parseApiTokens(value)).toThrowError(/^API_TOKENS must be /);
        try {
          parseApiTokens(value);
        } catch (error) {
          if (value.length > 0) expect((error as Error).message).not.toContain('abcdefghijklmnop');
        }
      }
    });
  });
};
