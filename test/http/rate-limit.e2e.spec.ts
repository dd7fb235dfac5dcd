import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp, parseApiTokens } from '../../src/adapters/http/build-http-app.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { createMemoryApp } from '../support/memory-app.js';

const A = 'Bearer reader-a-0123456789abcdef';
const B = 'Bearer reader-b-0123456789abcdef';

describe('rate limiting per caller', () => {
  let http: FastifyInstance;
  const { app } = createMemoryApp({ clock: new SystemClock() });

  beforeAll(async () => {
    await app.start();
    http = await buildHttpApp({
      application: app,
      logger: false,
      apiTokens: parseApiTokens('reader-a-0123456789abcdef:read,reader-b-0123456789abcdef:read'),
      rateLimit: { perMinute: 3 },
    });
  });

  afterAll(async () => {
    await http?.close();
    await app.stop();
  });

  it('answers 429 problem details past the limit, per token, and never limits /health', async () => {
    for (let i = 0; i < 3; i++) expect((await http.inject({ url: '/accounts', headers: { authorization: A } })).statusCode).toBe(200);
    const refused = await http.inject({ url: '/accounts', headers: { authorization: A } });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ type: '/problems/too-many-requests', status: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another caller has a budget of its own.
    expect((await http.inject({ url: '/accounts', headers: { authorization: B } })).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await http.inject({ url: '/health' })).statusCode).toBe(200);
  });
});
