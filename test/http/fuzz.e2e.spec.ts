import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/adapters/http/build-http-app.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { createMemoryApp } from '../support/memory-app.js';

const TOKENS = 'reader-token-0123456789:read,writer-token-0123456789:write,admin-token-01234567890:admin';

const id = fc.oneof(
  fc.constantFrom('acc-1', 'acc-2', 'missing', 't-1'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('__proto__', 'constructor', '..', '%2e%2e', '%00', '😀', ' ', ''),
);
const path = fc.oneof(
  id.map((i) => `/accounts/${encodeURIComponent(i)}`),
  id.map((i) => `/accounts/${encodeURIComponent(i)}/deposits`),
  id.map((i) => `/accounts/${encodeURIComponent(i)}/withdrawals`),
  id.map((i) => `/accounts/${encodeURIComponent(i)}/close`),
  id.map((i) => `/accounts/${encodeURIComponent(i)}/transactions`),
  id.map((i) => `/transfers/${encodeURIComponent(i)}`),
  fc.constantFrom('/accounts', '/transfers', '/health', '/ready', '/metrics', '/openapi.json', '/admin/projections', '/admin/parked'),
  id.map((i) => `/admin/projections/${encodeURIComponent(i)}/rebuild`),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
);
const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'owner', 'status', 'minBalance', 'maxBalance', 'minVersion', 'waitMs', 'force', 'x'),
  // Numbers stay small, so that a valid minVersion/waitMs pair waits milliseconds, not seconds.
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer({ min: -3, max: 60 }).map(String), fc.constantFrom('-1', '0', '5001', '1e3', 'NaN', '9007199254740993')),
  { maxKeys: 3 },
);
const amount = fc.oneof(
  fc.integer({ min: -5, max: 2_000_000_000_000 }),
  fc.double(),
  fc.constantFrom('10', null, true, [], {}, 1e12, 1e12 + 1, Number.MAX_SAFE_INTEGER),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.record({ amount }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.record({ owner: fc.string({ maxLength: 120 }), accountId: id, currency: fc.string({ maxLength: 4 }) }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.record({ from: id, to: id, amount, transferId: id }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{"__proto__":{"amount":1}}', '{"constructor":{"prototype":{}}}', '{"amount":1,"amount":2}', '{', '[]', 'null'),
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', ''),
    'if-match': fc.oneof(fc.constantFrom('"1"', '"2"', '*', 'W/"1"', '"x"', '1'), fc.string({ maxLength: 10 })),
    'idempotency-key': fc.oneof(fc.stringMatching(/^[!-~]{1,10}$/), fc.string({ maxLength: 140 })),
    authorization: fc.constantFrom('Bearer reader-token-0123456789', 'Bearer writer-token-0123456789', 'Bearer admin-token-01234567890', 'Bearer nope', 'Basic x', ''),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  path,
  query,
  body,
  headers,
});

/**
 * Arbitrary requests, authenticated or not: the service never answers 5xx (never a stack trace),
 * every error is problem details, and a refused request changes nothing.
 */
describe.each([
  ['open', undefined],
  ['with tokens', TOKENS],
])('HTTP fuzz (%s)', (_name, tokens) => {
  let http: FastifyInstance;
  const { app, backend } = createMemoryApp({ clock: new SystemClock() });

  beforeAll(async () => {
    await app.start();
    const { parseApiTokens } = await import('../../src/adapters/http/build-http-app.js');
    http = await buildHttpApp({ application: app, logger: false, ...(tokens ? { apiTokens: parseApiTokens(tokens) } : {}) });
    for (const accountId of ['acc-1', 'acc-2']) {
      await app.accounts.open({ accountId, owner: 'o', currency: 'KRW' });
      await app.accounts.deposit(accountId, 1_000);
    }
  });

  afterAll(async () => {
    await http?.close();
    await app.stop();
  });

  it('never answers 5xx, always problem details on errors, and a refused request changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const before = backend.eventLog.all().length;
        const search = new URLSearchParams(r.query).toString();
        const headerValues = Object.fromEntries(Object.entries(r.headers).filter(([, v]) => v !== ''));
        const response = await http.inject({
          method: r.method as 'GET',
          url: `${r.path}${search ? `?${search}` : ''}`,
          headers: headerValues,
          ...(r.body === undefined || ['GET', 'HEAD'].includes(r.method) ? {} : { payload: r.body }),
        });
        // The one 5xx the contract prescribes: the read model did not reach minVersion within waitMs.
        const lagging = response.statusCode === 503 && response.json<{ type: string }>().type === '/problems/read-model-lagging';
        if (!lagging) expect(response.statusCode, `${r.method} ${r.path}`).toBeLessThan(500);
        expect(response.body).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
        if (response.statusCode >= 400) {
          if (r.method !== 'HEAD') expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(backend.eventLog.all().length, `${r.method} ${r.path} -> ${response.statusCode}`).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});
