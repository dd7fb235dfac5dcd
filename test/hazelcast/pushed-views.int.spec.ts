import { describe, expect, it, vi } from 'vitest';
import type { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { eventually } from '../support/eventually.js';
import { FixedClock } from '../support/fixed-clock.js';
import { connectTestBackend, createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';

/** Counts the plain view reads a process sends to the member. */
const countViewReads = (connection: HazelcastConnection): (() => number) => {
  const call = vi.spyOn(connection, 'call');
  return () => call.mock.calls.filter(([operation]) => operation === 'get view').length;
};

describe('plain reads answered from views the member pushed', () => {
  it("follow another process's writes without asking the member", async () => {
    const namespace = uniqueNamespace('pushed');
    const writer = await createHazelcastApp(namespace, { ownerId: 'writer' });
    // Long enough that no held view expires on a slow machine: this test is about the pushes.
    const reader = await connectTestBackend(namespace, { pushedViewsMaxAgeMs: 600_000 });
    try {
      await writer.app.start();
      await writer.app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
      const views = reader.ports.accountViews;
      await eventually(async () => (await views.get('acc'))?.version === 1, { message: 'the reader never saw version 1' });
      const viewReads = countViewReads(reader.connection);
      for (let i = 2; i <= 11; i++) {
        await writer.app.accounts.deposit('acc', 10);
        // Until the push arrives the held view answers (older, never a miss); then the new one.
        await eventually(async () => (await views.get('acc'))?.version === i, { message: `the reader never saw version ${i}` });
      }
      expect((await views.get('acc'))?.balance).toBe(100);
      expect(viewReads()).toBe(0);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('ask the member again once the view held is older than the bound', async () => {
    const namespace = uniqueNamespace('pushed');
    const writer = await createHazelcastApp(namespace, { ownerId: 'writer' });
    const clock = new FixedClock(Date.now());
    const reader = await connectTestBackend(namespace, { pushedViewsMaxAgeMs: 1_000 }, clock);
    try {
      await writer.app.start();
      await writer.app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
      const views = reader.ports.accountViews;
      await views.get('acc'); // starts the pushes
      await writer.app.accounts.deposit('acc', 10);
      await eventually(async () => (await views.get('acc'))?.version === 2, { message: 'the reader never saw version 2' });
      const viewReads = countViewReads(reader.connection);
      clock.advance(1_000);
      expect((await views.get('acc'))?.version).toBe(2);
      expect(viewReads()).toBe(0);
      clock.advance(1);
      // Past the bound the Near Cache answers; it may not have learnt of version 2 yet (its
      // invalidations come in batches), and then the member does: a read never goes back.
      expect((await views.get('acc'))?.version).toBe(2);
      expect(viewReads()).toBe(1);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('are not used with the Near Cache off: every plain read goes to the member', async () => {
    const namespace = uniqueNamespace('pushed');
    const writer = await createHazelcastApp(namespace, { ownerId: 'writer' });
    const reader = await connectTestBackend(namespace, { nearCache: false, pushedViewsMaxAgeMs: 600_000 });
    try {
      await writer.app.start();
      await writer.app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
      const views = reader.ports.accountViews;
      await eventually(async () => (await views.get('acc'))?.version === 1, { message: 'the reader never saw version 1' });
      const viewReads = countViewReads(reader.connection);
      for (let i = 0; i < 3; i++) expect((await views.get('acc'))?.version).toBe(1);
      expect(viewReads()).toBe(3);
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
