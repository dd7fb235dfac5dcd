import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../tools/cluster.js';
import { query } from '../../tools/db.js';
import { BackendUnavailableError } from '../../src/application/ports/backend-errors.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import { expectConverged } from '../support/converged.js';
import { checkAnswers, checkOne, type AnswerTally } from '../support/no-wrong-answer.js';
import { eventually } from '../support/eventually.js';
import { uniqueNamespace } from '../support/hazelcast-app.js';
import { applicationOn, connectOwn, startOwnCluster } from '../support/own-cluster.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { seededRandom, TEST_SEED } from '../support/seeded-random.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { testPersistence } from '../support/test-database.js';
import { composeTestApplication, testApplicationOptions } from '../support/test-composition.js';
import type { AccountViews } from '../../src/domain/ports/read-model.port.js';

interface Ack {
  readonly id: string;
  readonly version: number;
  readonly amount: number;
}

describe('durability through MapStore to PostgreSQL', () => {
  describe('a full cluster restart', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startOwnCluster('restart', 2);
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    it('brings back every acknowledged event; versions continue and the views are rebuilt', async () => {
      const namespace = uniqueNamespace('restart');
      const backend = await connectOwn(cluster, namespace);
      const app = applicationOn(backend, 'dur-');
      await app.start();
      const random = seededRandom(TEST_SEED);
      const ids = Array.from({ length: 8 }, (_, i) => `acc-${i}`);
      const acks: Ack[] = [];
      try {
        for (const id of ids) await app.accounts.open({ accountId: id, owner: `o-${id}`, currency: 'KRW' });
        for (let i = 0; i < 80; i++) {
          const id = ids[Math.floor(random() * ids.length)]!;
          const amount = 1 + Math.floor(random() * 500);
          acks.push({ id, amount, version: (await app.accounts.deposit(id, amount)).version });
        }
        const { transferId } = await app.transfers.request({ from: 'acc-0', to: 'acc-1', amount: 1 });
        await app.processManager.advance(transferId);
        const admission = await app.idempotency.admit('restart-key', 'fingerprint');
        if (admission.kind !== 'proceed') throw new Error('a fresh key must proceed');
        await admission.complete({ status: 200, headers: { etag: '"9"' }, body: '{"ok":true}' });

        // Every account answered once at the head of its stream: no answer after the restart may go below it.
        const floor = new Map<string, number>();
        for (const id of ids) {
          const head = (await backend.ports.eventLog.read('account', id, 1)).length;
          floor.set(id, (await app.accountQueries.get(id, { minVersion: head, waitMs: 10_000 })).version);
        }
        await eventually(() => app.readiness().ready, { timeoutMs: 30_000, message: 'ready before the restart' });

        // Every member stops; the cluster comes back empty but for what PostgreSQL holds. Queries
        // are asked throughout: each answer must be right for its version, or an explicit 503.
        const checker = checkAnswers(app, backend.ports.eventLog, ids, floor);
        for (const index of [0, 1]) await cluster.killMember(index, 'SIGTERM');
        await eventually(() => !app.readiness().ready, { timeoutMs: 30_000, message: 'the service sees the cluster gone' });
        await expect(app.accounts.deposit('acc-0', 1)).rejects.toBeInstanceOf(BackendUnavailableError);
        for (const index of [0, 1]) await cluster.startMember(index);
        await cluster.waitForClusterSize(2);
        await eventually(() => app.readiness().ready, { timeoutMs: 60_000, message: 'the service reconnected and its views are current' });
        const tally = await checker.stop();
        // Ready tells the truth: every account answers at once, at the head of its stream.
        const atReady: AnswerTally = { correct: 0, lagging: 0, unavailable: 0, wrong: [] };
        for (const id of ids) await checkOne(app, backend.ports.eventLog, id, floor, atReady);
        for (const id of ids) expect(floor.get(id), id).toBe((await backend.ports.eventLog.read('account', id, 1)).length);
        console.info(
          `full restart: answers ${tally.correct} right, ` +
            `${tally.lagging} 503 read-model-lagging, ${tally.unavailable} 503 unavailable, ${tally.wrong.length} wrong ${JSON.stringify(tally.wrong.slice(0, 5))}`,
        );
        expect(tally.wrong).toEqual([]);
        expect(atReady).toEqual({ correct: ids.length, lagging: 0, unavailable: 0, wrong: [] });
        expect((await app.transferQueries.get(transferId)).status).toBe('completed');

        for (const ack of acks) {
          const [event] = await backend.ports.eventLog.read('account', ack.id, ack.version, ack.version);
          expect(event, `${ack.id}@${ack.version}`).toMatchObject({ eventType: 'MoneyDeposited', data: { amount: ack.amount } });
        }
        const head = (await backend.ports.eventLog.read('account', 'acc-3', 1)).length;
        expect((await app.accounts.deposit('acc-3', 5)).version).toBe(head + 1);
        expect(await app.idempotency.admit('restart-key', 'fingerprint')).toMatchObject({ kind: 'replay', response: { body: '{"ok":true}' } });
        await expectConverged(
          backend.ports,
          [...ids.map((id) => ({ type: 'account' as const, id })), { type: 'transfer' as const, id: transferId }],
          60_000,
        );
        // Loaded keys sit in the partition of their stream: nothing was loaded twice.
        const rows = await query(testPersistence().settings, 'select count(*)::int as n from events where namespace = $1', [namespace]);
        expect(await backend.ports.eventLog.count()).toBe(rows.rows[0].n);
      } finally {
        await app.stop();
        await backend.close();
      }
    });
    it('answers from the views PostgreSQL kept: a restart replays only the events since the persisted watermark (ADR 0050)', async () => {
      const namespace = uniqueNamespace('kept-views');
      const backend = await connectOwn(cluster, namespace);
      // A membership change makes sweeps read the log again from a minute before it (ADR 0045), which a
      // full restart is: that look-back is cut to a second here, so that what the restart replays is
      // what the persisted watermark leaves to replay.
      const options = testApplicationOptions();
      // An account snapshot every 4 versions: acc-1 (versions 1 to 6) has one at 4, behind its log.
      const app = applicationOn(backend, 'kept-', {
        ...options,
        accountSnapshotEvery: 4,
        reconciler: { ...options.reconciler, detectionMs: 1_000, settleMs: 1_000 },
      });
      await app.start();
      const ids = Array.from({ length: 6 }, (_, i) => `acc-${i}`);
      const overlapMs = 5_000;
      try {
        for (const id of ids) await app.accounts.open({ accountId: id, owner: `o-${id}`, currency: 'KRW' });
        for (let i = 0; i < 30; i++) await app.accounts.deposit(ids[i % ids.length]!, 10);
        // The views of these writes stored, and a watermark past them by more than a sweep's overlap.
        const written = Date.now();
        await eventually(async () => ((await backend.ports.persistedWatermark.get()) ?? 0) > written + overlapMs, {
          timeoutMs: 60_000,
          message: 'a watermark persisted past the first writes',
        });
        // Then writes to one account only, past the watermark; their views reach PostgreSQL ahead of one
        // history entry (separate queues): the newest entry is taken out of the table by hand.
        for (let i = 0; i < 5; i++) await app.accounts.deposit('acc-0', 1);
        const head = (await backend.ports.eventLog.read('account', 'acc-0', 1)).length;
        await app.accountQueries.get('acc-0', { minVersion: head, waitMs: 10_000 });
        await backend.ports.persistedWatermark.flush();
        const removed = await query(
          testPersistence().settings,
          `delete from read_model_rows where map_name = $1 and (body::jsonb ->> 'accountId') = 'acc-0' and (body::jsonb ->> 'version')::int = $2`,
          [`${namespace}.views.transactions`, head],
        );
        expect(removed.rowCount).toBe(1);
        const floor = new Map<string, number>();
        for (const id of ids) floor.set(id, (await app.accountQueries.get(id)).version);
        const handled = (): number => {
          const counters = app.dispatcher.countersOf('accounts');
          return counters.applied + counters.duplicates + counters.parked;
        };
        const handledBefore = handled();
        // Account snapshots are kept in PostgreSQL too (ADR 0052), a second behind: wait for acc-1's.
        const snapshotRows = `${namespace}.snapshots.account`;
        await eventually(
          async () =>
            (await query(testPersistence().settings, 'select version from snapshot_rows where map_name = $1 and key = $2', [snapshotRows, 'acc-1'])).rows[0]
              ?.version === '4',
          { timeoutMs: 30_000, message: "acc-1's snapshot stored in PostgreSQL" },
        );

        const checker = checkAnswers(app, backend.ports.eventLog, ids, floor);
        for (const index of [0, 1]) await cluster.killMember(index, 'SIGTERM');
        await eventually(() => !app.readiness().ready, { timeoutMs: 30_000, message: 'the service sees the cluster gone' });
        for (const index of [0, 1]) await cluster.startMember(index);
        await cluster.waitForClusterSize(2);
        await eventually(() => app.readiness().ready, { timeoutMs: 60_000, message: 'the service reconnected and its views are current' });
        const tally = await checker.stop();
        expect(tally.wrong).toEqual([]);

        // Only acc-0 had events past the persisted watermark: the other views were loaded, not replayed.
        // A replay of the whole log dispatches every stream (6 here).
        expect(handled() - handledBefore).toBeLessThan(ids.length);
        const atReady: AnswerTally = { correct: 0, lagging: 0, unavailable: 0, wrong: [] };
        for (const id of ids) await checkOne(app, backend.ports.eventLog, id, floor, atReady);
        expect(atReady).toEqual({ correct: ids.length, lagging: 0, unavailable: 0, wrong: [] });
        // The history entry PostgreSQL lacked is written again from the log.
        const history = await app.accountQueries.transactions('acc-0', { limit: 100 });
        expect(history.items.map((entry) => entry.version)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
        expect((await app.accountQueries.get('acc-0')).balance).toBe(50 + 5);
        // Another account's history, not replayed: loaded from PostgreSQL, entry by entry, into the partitions the client asks.
        const other = await app.accountQueries.transactions('acc-1', { limit: 100 });
        expect(other.items.map((entry) => entry.version)).toEqual([1, 2, 3, 4, 5, 6]);
        // A command on a cold account: its snapshot, loaded from PostgreSQL at version 4, then the events after it.
        expect(await backend.ports.accountSnapshots.get('acc-1')).toMatchObject({ version: 4, state: { balance: 30 } });
        expect(await app.accounts.deposit('acc-1', 7)).toMatchObject({ version: 7 });
        expect((await app.accountQueries.get('acc-1', { minVersion: 7, waitMs: 10_000 })).balance).toBe(50 + 7);
      } finally {
        await app.stop();
        await backend.close();
      }
    });

    it('answers a view at once after a restart, loaded when read, and a list only once every account view is held (ADR 0054)', async () => {
      const namespace = uniqueNamespace('held-views');
      const backend = await connectOwn(cluster, namespace);
      // Holding the views waits for the gate: closed during the restart, so the list's wait shows.
      let gate: Promise<void> = Promise.resolve();
      let open = (): void => undefined;
      const held: string[][] = [];
      const views = backend.ports.accountViews;
      const gated: AccountViews = Object.assign(Object.create(views) as AccountViews, {
        holdAll: async (ids: readonly string[]) => {
          await gate;
          held.push([...ids]);
          return views.holdAll(ids);
        },
      });
      // The look-back after a membership change cut to a second, as above: the restart then replays
      // none of these accounts, and only a read or the holding brings a view back.
      const options = testApplicationOptions();
      const app = composeTestApplication(
        { ...backend.ports, accountViews: gated },
        {
          clock: new SystemClock(),
          ids: new SequentialIds('held-'),
          options: { ...options, reconciler: { ...options.reconciler, detectionMs: 1_000, settleMs: 1_000 } },
        },
      );
      await app.start();
      const ids = Array.from({ length: 6 }, (_, i) => `acc-${i}`);
      try {
        for (const id of ids) await app.accounts.open({ accountId: id, owner: 'o', currency: 'KRW' });
        for (const [i, id] of ids.entries()) await app.accounts.deposit(id, 10 * (i + 1));
        // Stored in PostgreSQL with a watermark past them, so that the restart replays none of them.
        const written = Date.now();
        await eventually(async () => ((await backend.ports.persistedWatermark.get()) ?? 0) > written + 5_000, {
          timeoutMs: 60_000,
          message: 'a watermark persisted past the writes by more than a sweep overlap',
        });
        await backend.ports.persistedWatermark.flush();
        expect((await app.accountQueries.list({ limit: 50 })).items.map((view) => view.accountId)).toEqual(ids);

        gate = new Promise((resolve) => (open = resolve));
        held.length = 0;
        for (const index of [0, 1]) await cluster.killMember(index, 'SIGTERM');
        await eventually(() => !app.readiness().ready, { timeoutMs: 30_000, message: 'the service sees the cluster gone' });
        for (const index of [0, 1]) await cluster.startMember(index);
        await cluster.waitForClusterSize(2);
        await eventually(() => app.readiness().ready, { timeoutMs: 60_000, message: 'ready while the views are not all held' });
        // One view, read back from PostgreSQL when asked: right at once.
        expect(await app.accountQueries.get('acc-2')).toMatchObject({ version: 2, balance: 30 });
        // A list would see only what was read so far: not answered until every view is held.
        await expect(app.accountQueries.list({ limit: 50 })).rejects.toMatchObject({ code: 'READ_MODEL.LAGGING' });
        expect(held).toEqual([]);
        open();
        await eventually(
          async () => {
            try {
              return (await app.accountQueries.list({ limit: 50 })).items.length > 0;
            } catch {
              return false;
            }
          },
          { timeoutMs: 30_000, message: 'the list answered once the views are held' },
        );
        const page = await app.accountQueries.list({ limit: 50 });
        expect(page.items.map((view) => [view.accountId, view.version, view.balance])).toEqual(ids.map((id, i) => [id, 2, 10 * (i + 1)]));
        expect([...new Set(held.flat())].sort()).toEqual(ids);
      } finally {
        // A gate left closed would hold up the stop, which waits for the views being held.
        open();
        await app.stop();
        await backend.close();
      }
    });
  });

  describe('PostgreSQL going away during writes', () => {
    let cluster: Cluster;
    let proxy: TcpProxy;
    beforeAll(async () => {
      const direct = testPersistence().settings;
      proxy = new TcpProxy(direct.host, direct.port);
      const port = await proxy.start();
      cluster = await startOwnCluster('pg-outage', 1, { persistence: { settings: { ...direct, port } } });
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
      await proxy?.cut();
    });

    it('refuses commands with 503, writes nothing half, and carries on when it returns', async () => {
      const namespace = uniqueNamespace('pg');
      const backend = await connectOwn(cluster, namespace);
      const app = applicationOn(backend, 'dur-');
      await app.start();
      try {
        await app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
        const acks: Ack[] = [];
        for (let i = 1; i <= 10; i++) acks.push({ id: 'acc', amount: i, version: (await app.accounts.deposit('acc', i)).version });

        await proxy.cut();
        const refused: unknown[] = [];
        for (let i = 0; i < 3; i++) await app.accounts.deposit('acc', 1_000).catch((error: unknown) => refused.push(error));
        expect(refused).toHaveLength(3);
        for (const error of refused) expect(error).toBeInstanceOf(BackendUnavailableError);

        await proxy.restore();
        // No restart: the pool reconnects and the next command goes through.
        let version = 0;
        await eventually(
          async () => {
            try {
              version = (await app.accounts.deposit('acc', 11)).version;
              return true;
            } catch (error) {
              if (error instanceof BackendUnavailableError || error instanceof DomainError) return false;
              throw error;
            }
          },
          { timeoutMs: 30_000, message: 'commands go through once PostgreSQL is back' },
        );
        acks.push({ id: 'acc', amount: 11, version });

        const rows = await query(
          testPersistence().settings,
          'select version, payload from events where namespace = $1 and aggregate_id = $2 order by version',
          [namespace, 'acc'],
        );
        // Every acknowledged deposit is in PostgreSQL; none of the refused ones is, half or whole.
        for (const ack of acks) expect(rows.rows.find((r) => r.version === ack.version)?.payload).toEqual({ amount: ack.amount });
        expect(rows.rows.filter((r) => r.payload.amount === 1_000)).toEqual([]);
        expect(rows.rows.map((r) => r.version)).toEqual(Array.from({ length: rows.rows.length }, (_, i) => i + 1));
        expect((await backend.ports.eventLog.read('account', 'acc', 1)).map((e) => e.version)).toEqual(rows.rows.map((r) => r.version));
      } finally {
        await app.stop();
        await backend.close();
      }
    });
  });
});
