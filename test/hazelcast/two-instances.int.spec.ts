import { describe, expect, it } from 'vitest';
import type { AccountView, AccountViews } from '../../src/domain/ports/read-model.port.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';
import { expectConverged } from '../support/converged.js';
import { eventually } from '../support/eventually.js';
import { seededRandom, TEST_SEED } from '../support/seeded-random.js';

/** Records every successful view write, to prove that no (account, version) is applied twice. */
const recording = (views: AccountViews, writes: string[]): AccountViews =>
  Object.assign(Object.create(views) as AccountViews, {
    compareAndSet: async (id: string, view: AccountView, expected: number) => {
      const written = await views.compareAndSet(id, view, expected);
      if (written) writes.push(`${id}@${expected}->${view.version}`);
      return written;
    },
  });

describe('two service instances on one cluster', () => {
  it('share commands, own each shard once, apply nothing twice, and converge to the log', async () => {
    const namespace = uniqueNamespace('two');
    const writes: string[] = [];
    const one = await createHazelcastApp(namespace, { ownerId: 'one', overrides: (p) => ({ accountViews: recording(p.accountViews, writes) }) });
    const two = await createHazelcastApp(namespace, { ownerId: 'two', overrides: (p) => ({ accountViews: recording(p.accountViews, writes) }) });
    const random = seededRandom(TEST_SEED);
    try {
      await one.app.start();
      await two.app.start();
      const ids = Array.from({ length: 8 }, (_, i) => `acc-${i}`);
      for (const id of ids) await one.app.accounts.open({ accountId: id, owner: 'o', currency: 'KRW' });
      const transfers: string[] = [];
      const kinds: ('deposit' | 'withdrawal' | 'transfer')[] = [];
      const work = Array.from({ length: 160 }, (_, i) => {
        const app = (i % 2 === 0 ? one : two).app;
        const id = ids[Math.floor(random() * ids.length)]!;
        const other = ids[Math.floor(random() * ids.length)]!;
        const roll = random();
        kinds.push(roll < 0.5 ? 'deposit' : roll < 0.8 ? 'withdrawal' : 'transfer');
        if (roll < 0.5) return app.accounts.deposit(id, 100);
        if (roll < 0.8) return app.accounts.withdraw(id, 60);
        return app.transfers.request({ from: id, to: other, amount: 30 }).then((t) => transfers.push(t.transferId));
      });
      const outcomes = await Promise.allSettled(work);
      const accepted = (kind: string): number => outcomes.filter((o, i) => o.status === 'fulfilled' && kinds[i] === kind).length;
      for (const o of outcomes) {
        if (o.status === 'rejected') expect((o.reason as DomainError).code).toMatch(/INSUFFICIENT_FUNDS|SAME_ACCOUNT/);
      }
      await Promise.all(transfers.map((t) => one.app.processManager.advance(t)));

      await eventually(() => {
        const owners = [one, two].map((x) => x.app.administration.status().shards.map((s) => s.owned));
        return owners[0]!.every((owned, shard) => owned !== owners[1]![shard]);
      }, { message: 'each shard owned by exactly one instance' });

      await expectConverged(one.backend.ports, [
        ...ids.map((id) => ({ type: 'account' as const, id })),
        ...transfers.map((id) => ({ type: 'transfer' as const, id })),
      ]);
      const applied = new Set(writes);
      expect(applied.size).toBe(writes.length);
      const versions = writes.map((w) => w.split('->')[0]!);
      expect(new Set(versions).size).toBe(versions.length);
      const total = (await Promise.all(ids.map((id) => one.backend.ports.accountViews.get(id, { fresh: true })))).reduce(
        (sum, v) => sum + (v?.balance ?? 0),
        0,
      );
      // Transfers move money and never make or lose any.
      expect(total).toBe(accepted('deposit') * 100 - accepted('withdrawal') * 60);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('an instance with projections off takes commands and answers queries from the views another instance keeps', async () => {
    const namespace = uniqueNamespace('roles');
    const writer = await createHazelcastApp(namespace, { ownerId: 'writer' });
    const reader = await createHazelcastApp(namespace, { ownerId: 'reader', runProjections: false });
    try {
      await writer.app.start();
      await reader.app.start();
      expect(reader.app.readiness()).toEqual({ ready: true, missing: [] });
      await eventually(() => writer.app.administration.status().shards.every((s) => s.owned), { message: 'the writer owns every shard' });
      expect(reader.app.administration.status().running).toBe(false);
      expect(reader.app.administration.status().shards.some((s) => s.owned)).toBe(false);

      // A command taken by the reader is projected by the writer and read back through the reader.
      await reader.app.accounts.open({ accountId: 'r-1', owner: 'o', currency: 'KRW' });
      const deposited = await reader.app.accounts.deposit('r-1', 250);
      const seen = await reader.app.accountQueries.get('r-1', { minVersion: deposited.version, waitMs: 10_000 });
      expect(seen).toMatchObject({ balance: 250, version: deposited.version });
      // And the reverse: the writer's command, read on the reader at its version.
      const withdrawn = await writer.app.accounts.withdraw('r-1', 50);
      const after = await reader.app.accountQueries.get('r-1', { minVersion: withdrawn.version, waitMs: 10_000 });
      expect(after).toMatchObject({ balance: 200, version: withdrawn.version });
      expect(reader.app.administration.status().shards.some((s) => s.owned)).toBe(false);
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
