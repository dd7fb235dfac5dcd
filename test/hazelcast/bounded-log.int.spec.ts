import type { HazelcastJsonValue } from 'hazelcast-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../tools/cluster.js';
import { query } from '../../tools/db.js';
import type { HazelcastBackend } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { expectConverged } from '../support/converged.js';
import { eventually } from '../support/eventually.js';
import { uniqueNamespace } from '../support/hazelcast-app.js';
import { applicationOn, connectOwn, startOwnCluster } from '../support/own-cluster.js';
import { seededRandom, TEST_SEED } from '../support/seeded-random.js';
import { testPersistence } from '../support/test-database.js';

/** The cluster's bound on the event log in memory: far below what the test appends. */
const BOUND = 100;
const ACCOUNTS = 6;
const DEPOSITS = 150;

/** Statements of the event log's MapStore that read PostgreSQL, counted on the members (ADR 0049). */
const pgReads = (backend: HazelcastBackend, namespace: string): Promise<number> =>
  backend.connection.client.getPNCounter(`${namespace}.event-log.pg-reads`).then((counter) => counter.get()).then(Number);

const eventsInMemory = async (backend: HazelcastBackend, namespace: string): Promise<number> =>
  (await backend.connection.client.getMap<unknown, HazelcastJsonValue>(`${namespace}.event-log`)).size();

const storedRows = async (namespace: string): Promise<number> =>
  (await query(testPersistence().settings, 'select count(*)::int as n from events where namespace = $1', [namespace])).rows[0].n;

describe('an event log bounded in memory and loaded per stream (ADR 0049)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    // One member: the counter of PostgreSQL reads then has one replica, and reads exactly.
    cluster = await startOwnCluster('bounded', 1, { eventsInMemory: BOUND });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('decides commands on evicted streams, reads evicted events from PostgreSQL, and loses nothing in a full restart', async () => {
    const namespace = uniqueNamespace('bounded');
    const backend = await connectOwn(cluster, namespace);
    const app = applicationOn(backend, 'bnd-');
    // A second writer whose remembered states fall behind: its appends must conflict and catch up.
    const other = await connectOwn(cluster, namespace);
    const stale = applicationOn(other, 'bnd-other-');
    await app.start();
    await stale.start();
    const random = seededRandom(TEST_SEED);
    const ids = Array.from({ length: ACCOUNTS }, (_, i) => `acc-${i}`);
    const balances = new Map<string, number>(ids.map((id) => [id, 0]));
    try {
      for (const id of ids) await app.accounts.open({ accountId: id, owner: `o-${id}`, currency: 'KRW' });
      for (const id of ids) {
        const amount = 1 + Math.floor(random() * 100);
        await stale.accounts.deposit(id, amount);
        balances.set(id, balances.get(id)! + amount);
      }
      for (let i = 0; i < DEPOSITS; i++) {
        const id = ids[Math.floor(random() * ids.length)]!;
        const amount = 1 + Math.floor(random() * 500);
        await app.accounts.deposit(id, amount);
        balances.set(id, balances.get(id)! + amount);
      }
      const rows = await storedRows(namespace);
      expect(rows).toBe(ACCOUNTS * 2 + DEPOSITS);
      // Most of the log is evicted: what the map holds is far below what PostgreSQL does.
      await eventually(async () => (await eventsInMemory(backend, namespace)) < rows / 2, { message: 'the log is evicted' });

      // The stale writer's states are versions behind, and the events in between are evicted: each
      // of its appends finds the event PostgreSQL holds at that version, a conflict, and decides again.
      for (const id of ids) {
        const { version } = await stale.accounts.deposit(id, 1);
        balances.set(id, balances.get(id)! + 1);
        expect(version, id).toBe((await storedVersions(namespace, id)).length);
      }

      // An append at a taken version whose event is evicted is a conflict with the stored event.
      const [first] = await backend.ports.eventLog.read('account', 'acc-0', 1, 1);
      const taken = await backend.ports.eventLog.append({ ...first!, eventId: 'another-event' });
      expect(taken).toEqual({ ok: false, reason: 'conflict', existing: first });

      // Every evicted event reads back, in order, exactly as PostgreSQL holds it.
      for (const id of ids) {
        const events = await backend.ports.eventLog.read('account', id, 1);
        expect(events.map((e) => e.version), id).toEqual(await storedVersions(namespace, id));
      }
      for (const id of ids) {
        expect((await app.accountQueries.get(id, { minVersion: (await storedVersions(namespace, id)).length, waitMs: 20_000 })).balance, id).toBe(
          balances.get(id),
        );
      }

      // An append on a warm stream (its head known on the member) asks PostgreSQL nothing.
      await app.accounts.deposit('acc-1', 1);
      balances.set('acc-1', balances.get('acc-1')! + 1);
      const before = await pgReads(backend, namespace);
      for (let i = 0; i < 20; i++) {
        await app.accounts.deposit('acc-1', 1);
        balances.set('acc-1', balances.get('acc-1')! + 1);
      }
      expect(await pgReads(backend, namespace)).toBe(before);

      // A full restart: nothing is loaded at start, and nothing is lost.
      await eventually(() => app.readiness().ready, { timeoutMs: 30_000, message: 'ready before the restart' });
      await cluster.killMember(0, 'SIGTERM');
      await eventually(() => !app.readiness().ready, { timeoutMs: 30_000, message: 'the service sees the cluster gone' });
      await cluster.startMember(0);
      await cluster.waitForClusterSize(1);
      await eventually(() => app.readiness().ready, { timeoutMs: 60_000, message: 'the service reconnected and its views are current' });
      expect(await eventsInMemory(backend, namespace)).toBeLessThan(rows / 2);
      for (const id of ids) {
        const events = await backend.ports.eventLog.read('account', id, 1);
        expect(events.map((e) => e.version), id).toEqual(await storedVersions(namespace, id));
        // The first command on a cold stream after the restart continues at its next version.
        const head = events.length;
        expect((await app.accounts.deposit(id, 5)).version, id).toBe(head + 1);
        balances.set(id, balances.get(id)! + 5);
      }
      await expectConverged(
        backend.ports,
        ids.map((id) => ({ type: 'account' as const, id })),
        60_000,
      );
      for (const id of ids) expect((await app.accountQueries.get(id)).balance, id).toBe(balances.get(id));
      expect(await backend.ports.eventLog.count()).toBe(await storedRows(namespace));
    } finally {
      await stale.stop();
      await app.stop();
      await other.close();
      await backend.close();
    }
  });
});

describe('stream heads when partitions move (ADR 0049)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startOwnCluster('heads-moved', 2, { eventsInMemory: BOUND });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('forgets what it knew of a partition that another member owned meanwhile', async () => {
    // Member 0 alone owns every partition and learns the heads of every stream.
    await cluster.killMember(1, 'SIGTERM');
    await cluster.waitForClusterSize(1);
    const namespace = uniqueNamespace('heads-moved');
    const backend = await connectOwn(cluster, namespace);
    const app = applicationOn(backend, 'mv-');
    const other = await connectOwn(cluster, namespace);
    const stale = applicationOn(other, 'mv-other-');
    await app.start();
    await stale.start();
    const ids = Array.from({ length: 24 }, (_, i) => `acc-${i}`);
    try {
      for (const id of ids) await app.accounts.open({ accountId: id, owner: `o-${id}`, currency: 'KRW' });
      // The second writer remembers every account at version 2, and member 0 knows that head.
      for (const id of ids) expect((await stale.accounts.deposit(id, 1)).version).toBe(2);

      // Member 1 joins and takes about half of the partitions; the streams there move on without
      // member 0, up to version 5. Then member 1 leaves, and member 0 owns every partition again.
      await cluster.startMember(1);
      await cluster.waitForClusterSize(2);
      for (const id of ids) for (let i = 0; i < 3; i++) await app.accounts.deposit(id, 1);
      await cluster.killMember(1, 'SIGTERM');
      await cluster.waitForClusterSize(1);

      // A head member 0 kept from before (2) would answer "absent" at version 3 and turn the
      // conflict into a refused insert; forgotten, each append finds the stored event and decides again.
      for (const id of ids) {
        expect((await stale.accounts.deposit(id, 1)).version, id).toBe(6);
        expect(await storedVersions(namespace, id), id).toEqual([1, 2, 3, 4, 5, 6]);
      }
    } finally {
      await stale.stop();
      await app.stop();
      await other.close();
      await backend.close();
    }
  });
});

const storedVersions = async (namespace: string, id: string): Promise<number[]> =>
  (
    await query(testPersistence().settings, 'select version from events where namespace = $1 and aggregate_id = $2 order by version', [
      namespace,
      id,
    ])
  ).rows.map((r: { version: number }) => r.version);
