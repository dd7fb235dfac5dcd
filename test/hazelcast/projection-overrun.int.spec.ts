import { describe, expect, it } from 'vitest';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';
import { expectConverged } from '../support/converged.js';
import { eventually } from '../support/eventually.js';

describe('a projection that falls behind the ringbuffer', () => {
  it('notices the overwritten items and recovers them from the event log', async () => {
    // `hzcqrs-small*` topics have a 16-item ringbuffer (hazelcast/member.yaml).
    const { app, backend, close } = await createHazelcastApp(uniqueNamespace('small'));
    try {
      const ids = Array.from({ length: 6 }, (_, i) => `acc-${i}`);
      for (const id of ids) await app.accounts.open({ accountId: id, owner: 'o', currency: 'KRW' });
      for (let round = 0; round < 20; round++) for (const id of ids) await app.accounts.deposit(id, round + 1);
      const published = 6 * 21;
      // The member publishes each event just after its append (ADR 0032): wait until all are there,
      // then no more than that.
      const total = async (): Promise<number> =>
        (await Promise.all(Array.from({ length: backend.ports.feed.shardCount }, (_, s) => backend.ports.feed.nextSequence(s)))).reduce((a, b) => a + b, 0);
      await eventually(async () => (await total()) >= published, { message: 'every appended event published' });
      expect(await total()).toBe(published);

      await app.start();
      await expectConverged(
        backend.ports,
        ids.map((id) => ({ type: 'account' as const, id })),
      );
      const overruns = app.administration.status().shards.reduce((sum, s) => sum + s.overruns, 0);
      expect(overruns).toBeGreaterThan(0);
      expect(await backend.ports.parked.list(10)).toEqual([]);
    } finally {
      await close();
    }
  });
});
