import { afterEach, describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../../src/adapters/http/build-http-app.js';
import type { ParkedAggregates } from '../../../src/domain/ports/parked-aggregates.port.js';
import { eventually } from '../../support/eventually.js';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, get, openAccount, post, readAccount } from '../support/requests.js';

const READER = 'console-reader-00000001';
const WRITER = 'console-writer-00000002';
const ADMIN = 'console-admin-000000003';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Overview {
  instance: string;
  flow: { series: { kind: string; name: string; outcome: string; total: number; counts: number[] }[] };
  projections: {
    running: boolean;
    shards: { shard: number; owner?: string; ownedHere: boolean; checkpoint: number; head: number; lagEvents: number }[];
    projections: { name: string; generations: { active: number; building?: number }; rebuild?: { state: string } }[];
  };
  parked: { items: { projection: string; aggregateId: string; reason: string }[] };
  cluster: { connected: boolean; backend: { kind: string; members: unknown[]; buffers: { shard: number; tail: number }[] } };
}

/** The console's data routes: what the page draws, on every backend, behind the admin scope. */
export const consoleSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`the operations console's data (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('serves the page without a token and its data only with the admin scope', async () => {
      const { http } = await fixture.start({ apiTokens: parseApiTokens(`${READER}:read,${WRITER}:write,${ADMIN}:admin`) });
      const page = await get(http, '/console');
      expectStatus(page, 200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(page.body).toContain('/console/console.js');
      for (const asset of ['/console/console.js', '/console/console.css']) expectStatus(await get(http, asset), 200);

      const data = ['/admin/console/overview', '/admin/console/events', '/admin/console/accounts/a1', '/admin/console/transfers/t1'];
      for (const url of data) {
        expectProblem(await get(http, url), 401, '/problems/unauthorized');
        expectProblem(await get(http, url, bearer(READER)), 403, '/problems/forbidden');
        expectProblem(await get(http, url, bearer(WRITER)), 403, '/problems/forbidden');
      }
      expectStatus(await get(http, '/admin/console/overview', bearer(ADMIN)), 200);
      expectStatus(await get(http, '/admin/console/events', bearer(ADMIN)), 200);
    });

    it('shows a deposit in the flow, in the recent events and in a lookup of its account', async () => {
      const { http, application } = await fixture.start();
      const { accountId } = await openAccount(http, { balance: 250 });
      expectProblem(await post(http, `/accounts/${accountId}/withdrawals`, { amount: 1_000 }), 422, '/problems/insufficient-funds');
      await readAccount(http, accountId, 2);

      const overview = (await get(http, '/admin/console/overview')).json<Overview>();
      const total = (kind: string, name: string, outcome: string) =>
        overview.flow.series.find((s) => s.kind === kind && s.name === name && s.outcome === outcome)?.total;
      expect(total('command', 'deposit', 'accepted')).toBe(1);
      expect(total('command', 'open-account', 'accepted')).toBe(1);
      expect(total('command', 'withdraw', 'insufficient-funds')).toBe(1);
      expect(total('query', 'get-account', 'ok')).toBeGreaterThanOrEqual(1);
      expect(overview.instance).toBe(application.inspection.instance);
      expect(overview.projections.running).toBe(true);
      expect(overview.projections.projections.map((p) => p.name)).toEqual(['accounts', 'transfers']);
      expect(overview.projections.shards.map((s) => s.shard).sort()).toEqual([0, 1, 2, 3]);
      const lags = overview.projections.shards.map((s) => s.lagEvents);
      expect(lags).toEqual([...lags].sort((a, b) => b - a));
      expect(overview.cluster.connected).toBe(true);
      expect(overview.cluster.backend.kind).toBe(backend);
      expect(overview.cluster.backend.buffers).toHaveLength(4);

      // The events reach the buffer, and every shard an owner (this instance), within a deadline.
      await eventually(
        async () => {
          const { items } = (await get(http, '/admin/console/events?limit=10')).json<{ items: { aggregateId: string; eventType: string; version: number }[] }>();
          return items.some((e) => e.aggregateId === accountId && e.eventType === 'MoneyDeposited' && e.version === 2);
        },
        { message: 'the deposit is among the recent events' },
      );
      await eventually(
        async () => {
          const shards = (await get(http, '/admin/console/overview')).json<Overview>().projections.shards;
          return shards.every((s) => s.owner === application.inspection.instance && s.ownedHere && s.lagEvents === 0);
        },
        { message: 'every shard is owned here and caught up' },
      );

      const lookup = await get(http, `/admin/console/accounts/${accountId}`);
      expectStatus(lookup, 200);
      expect(lookup.json()).toMatchObject({
        aggregateType: 'account',
        aggregateId: accountId,
        streamVersion: 2,
        viewVersion: 2,
        events: [
          { version: 1, eventType: 'AccountOpened' },
          { version: 2, eventType: 'MoneyDeposited', data: { amount: 250 } },
        ],
        view: { accountId, balance: 250, version: 2 },
      });
      expectProblem(await get(http, '/admin/console/accounts/nobody-here'), 404, '/problems/not-found');
      expectProblem(await get(http, '/admin/console/transfers/bad%20id'), 400, '/problems/validation');
      expectProblem(await get(http, '/admin/console/events?limit=0'), 400, '/problems/validation');
    });

    it('shows a parked aggregate and a view that lags its stream, until the retry', async () => {
      let parked!: ParkedAggregates;
      const { http } = await fixture.start({
        wrapPorts: (ports) => {
          parked = ports.parked;
          return ports;
        },
      });
      const { accountId } = await openAccount(http, { balance: 5 });
      await readAccount(http, accountId, 2);
      await parked.park({
        projection: 'accounts',
        aggregateType: 'account',
        aggregateId: accountId,
        version: 3,
        reason: 'could not apply the event',
        parkedAt: '2026-01-01T00:00:00.000Z',
      });
      expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 1 }), 200);

      const overview = (await get(http, '/admin/console/overview')).json<Overview>();
      expect(overview.parked.items).toEqual([expect.objectContaining({ projection: 'accounts', aggregateId: accountId, reason: 'could not apply the event' })]);
      expect((await get(http, `/admin/console/accounts/${accountId}`)).json()).toMatchObject({
        streamVersion: 3,
        viewVersion: 2,
        parked: { projection: 'accounts', version: 3 },
      });

      expectStatus(await post(http, `/admin/parked/accounts/${accountId}/retry`), 200);
      const after = (await get(http, `/admin/console/accounts/${accountId}`)).json<Record<string, unknown>>();
      expect(after).toMatchObject({ streamVersion: 3, viewVersion: 3 });
      expect(after).not.toHaveProperty('parked');
    });
  });
};
