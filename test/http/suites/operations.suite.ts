import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import type { Checkpoint } from '../../../src/domain/ports/checkpoints.port.js';
import { expectProblem, expectStatus, get, openAccount, post, uniqueId } from '../support/requests.js';

/** The same port with some methods replaced; the others still run on the port itself. */
const overridden = <T extends object>(port: T, replaced: Partial<Record<keyof T, unknown>>): T =>
  new Proxy(port, {
    get: (target, property) => {
      if (Object.hasOwn(replaced, property)) return replaced[property as keyof T];
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });

/** Views whose store lost every entry, as a cluster that restarted: writes still go through. */
const emptied = <T extends object>(views: T): T =>
  overridden(views, { get: () => Promise.resolve(undefined), list: () => Promise.resolve([]) } as Partial<Record<keyof T, unknown>>);

/** Every request line of the HTTP contract, as OpenAPI paths. */
export const CONTRACT_OPERATIONS = [
  ['post', '/accounts'],
  ['post', '/accounts/{accountId}/deposits'],
  ['post', '/accounts/{accountId}/withdrawals'],
  ['post', '/accounts/{accountId}/close'],
  ['post', '/transfers'],
  ['get', '/accounts/{accountId}'],
  ['get', '/accounts'],
  ['get', '/accounts/{accountId}/transactions'],
  ['get', '/transfers/{transferId}'],
  ['get', '/health'],
  ['get', '/ready'],
  ['get', '/metrics'],
  ['get', '/openapi.json'],
  ['get', '/docs'],
  ['get', '/admin/projections'],
  ['get', '/admin/parked'],
  ['post', '/admin/parked/{projection}/{aggregateId}/retry'],
] as const;

type Operation = {
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean };
};

export const operationsSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`operations over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('answers /health and /ready', async () => {
      const { http } = await fixture.start();
      const health = await get(http, '/health');
      expectStatus(health, 200);
      expect(health.json()).toEqual({ status: 'ok' });
      const ready = await get(http, '/ready');
      expectStatus(ready, 200);
      expect(ready.json()).toEqual({ status: 'ready' });
    });

    it('answers /ready with 503 unavailable and what is missing when the backend is disconnected', async () => {
      const { http } = await fixture.start({
        wrapPorts: (ports) => ({ ...ports, status: { check: () => ({ connected: false, detail: 'no cluster member answers' }), connectionEpoch: () => 0 } }),
      });
      const body = expectProblem(await get(http, '/ready'), 503, '/problems/unavailable');
      expect(body['missing']).toEqual(['backend: no cluster member answers']);
      expectStatus(await get(http, '/health'), 200);
    });

    it('answers 503 read-model-lagging with Retry-After, never 404, while the views are not known to be current; /ready says so', async () => {
      // As after a full cluster restart: the views and the reconciler's watermark are gone, the log is not.
      const { http } = await fixture.start({
        wrapPorts: (ports) => ({
          ...ports,
          accountViews: emptied(ports.accountViews),
          transferViews: emptied(ports.transferViews),
          checkpoints: overridden(ports.checkpoints, {
            get: (name: string, shard: number) => (name === 'reconciler' ? Promise.resolve(undefined) : ports.checkpoints.get(name, shard)),
            save: (name: string, shard: number, checkpoint: Checkpoint) =>
              name === 'reconciler' ? Promise.resolve() : ports.checkpoints.save(name, shard, checkpoint),
          }),
          // Not empty: the views have the log to replay.
          eventLog: overridden(ports.eventLog, { count: async () => Math.max(1, await ports.eventLog.count()) }),
        }),
      });
      const { accountId } = await openAccount(http, { balance: 300 });
      const { accountId: to } = await openAccount(http);
      const transfer = await post(http, '/transfers', { from: accountId, to, amount: 100 });
      expectStatus(transfer, 202);
      const { transferId } = transfer.json<{ transferId: string }>();
      for (const url of [
        `/accounts/${accountId}`,
        `/accounts/${accountId}?minVersion=1&waitMs=0`,
        `/accounts/${accountId}/transactions`,
        '/accounts',
        `/transfers/${transferId}`,
      ]) {
        const response = await get(http, url);
        expectProblem(response, 503, '/problems/read-model-lagging');
        expect(response.headers['retry-after'], url).toBe('1');
      }
      expectProblem(await get(http, `/accounts/${uniqueId('nobody')}`), 404, '/problems/not-found');
      expectProblem(await get(http, `/transfers/${uniqueId('nothing')}`), 404, '/problems/not-found');
      const body = expectProblem(await get(http, '/ready'), 503, '/problems/unavailable');
      expect(body['missing']).toEqual(['read model: not known current (replaying the log)']);
    });

    it('answers /ready with 503 once the projections stopped', async () => {
      const { http, application } = await fixture.start();
      await application.runner.stop();
      const body = expectProblem(await get(http, '/ready'), 503, '/problems/unavailable');
      expect(body['missing']).toEqual(['projections: not running']);
    });

    it('exposes Prometheus metrics: commands by outcome, query latency, projection progress and lag', async () => {
      const { http, application } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 10 });
      expectProblem(await post(http, `/accounts/${accountId}/withdrawals`, { amount: 11 }), 422, '/problems/insufficient-funds');
      expectStatus(await get(http, `/accounts/${accountId}?minVersion=2`), 200);
      await eventually(() => application.administration.status().shards.some((s) => s.owned));
      const response = await get(http, '/metrics');
      expectStatus(response, 200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      const text = response.body;
      expect(text).toContain('hzcqrs_commands_total{command="open-account",outcome="accepted"} 1');
      expect(text).toContain('hzcqrs_commands_total{command="deposit",outcome="accepted"} 1');
      expect(text).toContain('hzcqrs_commands_total{command="withdraw",outcome="insufficient-funds"} 1');
      expect(text).toMatch(/hzcqrs_query_duration_seconds_count\{query="get-account"\} 1/);
      expect(text).toMatch(/hzcqrs_query_duration_seconds_bucket\{le="[^"]+",query="get-account"\}/);
      expect(text).toMatch(/hzcqrs_events_projected_total\{projection="accounts"\} [1-9]/);
      expect(text).toMatch(/hzcqrs_projection_lag_events\{shard="\d+"\} \d+/);
      expect(text).toMatch(/hzcqrs_projection_lag_seconds\{shard="\d+"\} [\d.e-]+/);
      // Opened and funded: two appends; the refused withdrawal appends nothing. One process: no conflict.
      expect(text).toMatch(/^hzcqrs_events_appended_total 2$/m);
      expect(text).toMatch(/^hzcqrs_append_conflicts_total 0$/m);
      expect(text).toMatch(/^hzcqrs_commands_queued_total \d+$/m);
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain('nodejs_heap_size_used_bytes');
    });

    it('keeps metrics per app: two apps count apart', async () => {
      const one = await fixture.start();
      const two = await fixture.start();
      await openAccount(one.http);
      const text = (await get(two.http, '/metrics')).body;
      expect(text).not.toContain('hzcqrs_commands_total{command="open-account"');
      expect((await get(one.http, '/metrics')).body).toContain('hzcqrs_commands_total{command="open-account",outcome="accepted"} 1');
    });

    it('serves an OpenAPI 3 document with every path of the contract, its problems, headers and auth', async () => {
      const { http } = await fixture.start();
      const response = await get(http, '/openapi.json');
      expectStatus(response, 200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const document = response.json<{
        openapi: string;
        info: { title: string; version: string };
        paths: Record<string, Record<string, Operation>>;
        components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      }>();
      expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(document.info).toMatchObject({ title: 'hzcqrs', version: expect.any(String) });
      expect(document.components.securitySchemes['bearerAuth']).toMatchObject({ type: 'http', scheme: 'bearer' });
      for (const [method, path] of CONTRACT_OPERATIONS) {
        const operation = document.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(Object.keys(operation!.responses).some((status) => status.startsWith('2')), `${method} ${path}`).toBe(true);
        if (path === '/health') expect(operation!.security).toEqual([]);
        else {
          expect(operation!.security?.[0]?.['bearerAuth'], `${method} ${path}`).toHaveLength(1);
          expect(Object.keys(operation!.responses)).toEqual(expect.arrayContaining(['401', '403']));
          expect(operation!.responses['401']!.headers).toHaveProperty('WWW-Authenticate');
        }
      }
      const paths = document.paths;
      expect(paths['/accounts']!['post']!.responses['201']!.headers).toEqual(
        expect.objectContaining({ ETag: expect.anything(), Location: expect.anything() }),
      );
      expect(paths['/transfers']!['post']!.responses['202']!.headers).toHaveProperty('Location');
      for (const path of ['/accounts/{accountId}', '/accounts/{accountId}/transactions']) {
        expect(paths[path]!['get']!.responses['200']!.headers).toHaveProperty('ETag');
        expect(paths[path]!['get']!.responses['503']!.headers).toHaveProperty('Retry-After');
      }
      for (const path of ['/accounts/{accountId}/deposits', '/accounts/{accountId}/withdrawals', '/accounts/{accountId}/close']) {
        const operation = paths[path]!['post']!;
        expect(operation.responses['200']!.headers).toHaveProperty('ETag');
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '404', '409', '412', '413', '415', '422', '503']));
        expect(operation.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(
          expect.arrayContaining(['header:if-match', 'header:idempotency-key', 'path:accountId']),
        );
        expect(operation.responses['400']!.content).toHaveProperty(['application/problem+json']);
      }
      expect(paths['/accounts/{accountId}/close']!['post']!.requestBody?.required).toBe(false);
      expect(paths['/accounts']!['get']!.parameters?.map((p) => p.name).sort()).toEqual(
        ['cursor', 'limit', 'maxBalance', 'minBalance', 'owner', 'status'],
      );
    });

    it('serves a page to read the document, with its assets from this service', async () => {
      const { http } = await fixture.start();
      const page = await get(http, '/docs');
      expectStatus(page, 200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
      const scripts = [...page.body.matchAll(/src="([^"]+)"/g)].map((match) => match[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        const url = script.startsWith('/') ? script : `/docs/${script.replace(/^\.\//, '')}`;
        expectStatus(await get(http, url), 200);
      }
      const spec = await get(http, '/docs/json');
      expect(spec.json()).toHaveProperty('openapi');
    });
  });
};
