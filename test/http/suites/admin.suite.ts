import { afterEach, describe, expect, it } from 'vitest';
import type { ParkedAggregates } from '../../../src/domain/ports/parked-aggregates.port.js';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, expectStatus, get, openAccount, post, readAccount } from '../support/requests.js';

export const adminSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`administration over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('reports projection status per shard and per projection', async () => {
      const { http } = await fixture.start();
      await openAccount(http, { balance: 5 });
      const response = await get(http, '/admin/projections');
      expectStatus(response, 200);
      const status = response.json<{ running: boolean; shards: Record<string, unknown>[]; projections: { name: string }[] }>();
      expect(status.running).toBe(true);
      expect(status.shards.length).toBeGreaterThan(0);
      for (const shard of status.shards) {
        expect(shard).toMatchObject({
          shard: expect.any(Number),
          owned: expect.any(Boolean),
          checkpoint: expect.any(Number),
          headSequence: expect.any(Number),
          lagEvents: expect.any(Number),
          lagSeconds: expect.any(Number),
          overruns: expect.any(Number),
        });
      }
      expect(status.projections.map((p) => p.name).sort()).toEqual(['accounts', 'transfers']);
    });

    it('lists parked aggregates and retries one: the view catches up, then it is no longer parked (404)', async () => {
      let parked!: ParkedAggregates;
      const { http } = await fixture.start({
        wrapPorts: (ports) => {
          parked = ports.parked;
          return ports;
        },
      });
      const { accountId } = await openAccount(http, { balance: 5 });
      await readAccount(http, accountId, 2);
      const entry = {
        projection: 'accounts',
        aggregateType: 'account' as const,
        aggregateId: accountId,
        version: 3,
        reason: 'could not apply the event',
        parkedAt: '2026-01-01T00:00:00.000Z',
      };
      await parked.park(entry);
      expectStatus(await post(http, `/accounts/${accountId}/deposits`, { amount: 1 }), 200);

      const listed = await get(http, '/admin/parked?limit=10');
      expectStatus(listed, 200);
      expect(listed.json()).toEqual({ items: [entry] });

      const retried = await post(http, `/admin/parked/accounts/${accountId}/retry`);
      expectStatus(retried, 200);
      expect(retried.json()).toEqual({ projection: 'accounts', aggregateId: accountId, outcome: 'caught-up' });
      expect(await readAccount(http, accountId, 3)).toMatchObject({ balance: 6, version: 3 });
      expect((await get(http, '/admin/parked')).json()).toEqual({ items: [] });
      expectProblem(await post(http, `/admin/parked/accounts/${accountId}/retry`, {}), 404, '/problems/not-found');
      expectProblem(await post(http, `/admin/parked/nothing/${accountId}/retry`), 404, '/problems/not-found');
    });

    it('validates admin parameters', async () => {
      const { http } = await fixture.start();
      expectProblem(await get(http, '/admin/parked?limit=0'), 400, '/problems/validation');
      expectProblem(await get(http, '/admin/parked?limit=x'), 400, '/problems/validation');
      expectProblem(await get(http, '/admin/projections?verbose=1'), 400, '/problems/validation');
      expectProblem(await post(http, '/admin/parked/bad%20name/a1/retry'), 400, '/problems/validation');
      expectProblem(await post(http, '/admin/parked/accounts/a1/retry', { now: true }), 400, '/problems/validation');
    });
  });
};
