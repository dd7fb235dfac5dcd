import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../tools/cluster.js';
import { BackendUnavailableError } from '../../src/application/ports/backend-errors.js';
import { expectConverged } from '../support/converged.js';
import { eventually } from '../support/eventually.js';
import { applicationOn, connectOwn, startOwnCluster } from '../support/own-cluster.js';
import { seededRandom, TEST_SEED } from '../support/seeded-random.js';
import { uniqueNamespace } from '../support/hazelcast-app.js';

describe('losing members', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startOwnCluster('loss', 3);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('kill -9 of one of three members under load loses no acknowledged event', async () => {
    const backend = await connectOwn(cluster, uniqueNamespace('loss'));
    const app = applicationOn(backend, 'loss-');
    await app.start();
    const random = seededRandom(TEST_SEED);
    let killed = false;
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `acc-${i}`);
      for (const id of ids) await app.accounts.open({ accountId: id, owner: 'o', currency: 'KRW' });
      const acknowledged: { id: string; version: number; amount: number }[] = [];
      let failures = 0;
      const worker = async (): Promise<void> => {
        for (let i = 0; i < 60; i++) {
          const id = ids[Math.floor(random() * ids.length)]!;
          const amount = 1 + Math.floor(random() * 1000);
          try {
            const { version } = await app.accounts.deposit(id, amount);
            acknowledged.push({ id, version, amount });
          } catch (error) {
            if (!(error instanceof BackendUnavailableError)) throw error;
            failures++;
          }
          if (!killed && acknowledged.length >= 150) {
            killed = true;
            await cluster.killMember(1, 'SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
      expect(killed).toBe(true);
      expect(acknowledged.length).toBeGreaterThan(150);

      for (const ack of acknowledged) {
        const [event] = await backend.ports.eventLog.read('account', ack.id, ack.version, ack.version);
        expect(event, `acknowledged ${ack.id}@${ack.version}`).toMatchObject({ eventType: 'MoneyDeposited', data: { amount: ack.amount } });
      }
      await expectConverged(
        backend.ports,
        ids.map((id) => ({ type: 'account' as const, id })),
        60_000,
      );
      // What clients saw: a few refusals while partitions moved, never a lost acknowledgement.
      expect(failures).toBeLessThan(acknowledged.length);
    } finally {
      await app.stop();
      await backend.close();
      if (killed) await cluster.startMember(1);
      await cluster.waitForClusterSize(3);
    }
  });

  it('without a cluster the service refuses with 503 and carries on by itself when it returns', async () => {
    const backend = await connectOwn(cluster, uniqueNamespace('lost'));
    const app = applicationOn(backend, 'loss-');
    await app.start();
    try {
      await app.accounts.open({ accountId: 'x', owner: 'o', currency: 'KRW' });
      for (const index of [0, 1, 2]) await cluster.killMember(index, 'SIGKILL');
      await eventually(() => !app.readiness().ready, { timeoutMs: 30_000, message: 'readiness reports the lost cluster' });
      expect(app.readiness().missing.join()).toMatch(/backend/);
      await expect(app.accounts.deposit('x', 1)).rejects.toBeInstanceOf(BackendUnavailableError);

      for (const index of [0, 1, 2]) await cluster.startMember(index);
      await cluster.waitForClusterSize(3);
      await eventually(() => app.readiness().ready, { timeoutMs: 60_000, message: 'the client reconnected' });
      // The members wrote the log through to PostgreSQL: the account is back, and its stream goes on.
      expect((await app.accounts.deposit('x', 5)).version).toBe(2);
    } finally {
      await app.stop();
      await backend.close();
    }
  });
});
