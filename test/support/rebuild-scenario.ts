import { expect } from 'vitest';
import type { Application, BackendPorts } from '../../src/application/application.js';
import { expectConverged } from './converged.js';
import { seededRandom, TEST_SEED } from './seeded-random.js';

/**
 * Rebuilds the accounts projection while queries and commands keep coming: no query fails, and the
 * new generation, now active, equals the fold of the log, even where the old one had been damaged.
 */
export const rebuildUnderLoad = async (app: Application, ports: BackendPorts): Promise<void> => {
  const random = seededRandom(TEST_SEED);
  const ids = Array.from({ length: 20 }, (_, i) => `acc-${i}`);
  for (const id of ids) await app.accounts.open({ accountId: id, owner: `o-${id}`, currency: 'KRW' });
  for (let round = 0; round < 5; round++) for (const id of ids) await app.accounts.deposit(id, 100 + round);
  const active = (): BackendPorts => ({
    ...ports,
    accountViews: app.readModel.accountViews,
    transactionHistory: app.readModel.transactionHistory,
    transferViews: app.readModel.transferViews,
  });
  await expectConverged(active(), ids.map((id) => ({ type: 'account' as const, id })));

  // Damage the active generation: a rebuild must not copy it, it replays the log.
  const damaged = (await ports.accountViews.get('acc-0', { fresh: true }))!;
  expect(await ports.accountViews.compareAndSet('acc-0', { ...damaged, balance: 999_999_999 }, damaged.version)).toBe(true);

  let queries = 0;
  const failures: unknown[] = [];
  let rebuilding = true;
  const queryLoad = (async () => {
    while (rebuilding) {
      const id = ids[Math.floor(random() * ids.length)]!;
      await app.accountQueries.get(id).then(
        () => queries++,
        (error: unknown) => failures.push(error),
      );
      await app.accountQueries.list({ limit: 5 }).catch((error: unknown) => failures.push(error));
    }
  })();
  // Bounded, so that a slow machine replays a known amount of work.
  const commandLoad = (async () => {
    for (let i = 0; rebuilding && i < 300; i++) await app.accounts.deposit(ids[Math.floor(random() * ids.length)]!, 1);
  })();

  const started = await app.administration.rebuild('accounts');
  expect(started).toMatchObject({ projection: 'accounts', generation: 1, state: 'running' });
  await expect(app.administration.rebuild('accounts')).rejects.toMatchObject({ code: 'PROJECTION.REBUILD_RUNNING' });
  await waitForRebuild(app);
  rebuilding = false;
  await Promise.all([queryLoad, commandLoad]);

  const status = app.administration.rebuildStatus('accounts')!;
  expect(status).toMatchObject({ state: 'completed', generation: 1 });
  expect(status.replayed).toBeGreaterThanOrEqual(status.total);
  expect(app.readModel.activeGeneration('accounts')).toBe(1);
  expect(failures).toEqual([]);
  expect(queries).toBeGreaterThan(0);
  await expectConverged(active(), ids.map((id) => ({ type: 'account' as const, id })));
  expect((await app.accountQueries.get('acc-0')).balance).toBeLessThan(999_999_999);
};

const waitForRebuild = async (app: Application): Promise<void> => {
  const deadline = Date.now() + 60_000;
  while (app.administration.rebuildStatus('accounts')?.state === 'running') {
    if (Date.now() > deadline) throw new Error('the rebuild did not finish within 60 s');
    await app.rebuilder.drain();
  }
};
