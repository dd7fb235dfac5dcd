import { describe, expect, it, vi } from 'vitest';
import type { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { eventually } from '../support/eventually.js';
import { FixedClock } from '../support/fixed-clock.js';
import type { HazelcastBackend } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { connectTestBackend, createHazelcastApp, uniqueNamespace, type HazelcastApp } from '../support/hazelcast-app.js';

/** Counts the plain view reads a process sends to the member. */
const countViewReads = (connection: HazelcastConnection): (() => number) => {
  const call = vi.spyOn(connection, 'call');
  return () => call.mock.calls.filter(([operation]) => operation === 'get view').length;
};

/**
 * A writer process that opens account `acc` and runs the projections, and a reader connection on
 * the same namespace with `options`; both are closed after `body`.
 */
const withWriterAndReader = async (
  options: Parameters<typeof connectTestBackend>[1],
  clock: FixedClock | undefined,
  body: (writer: HazelcastApp, reader: HazelcastBackend) => Promise<void>,
): Promise<void> => {
  const namespace = uniqueNamespace('pushed');
  const writer = await createHazelcastApp(namespace, { ownerId: 'writer' });
  const reader = await connectTestBackend(namespace, options, clock);
  try {
    await writer.app.start();
    await writer.app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
    await body(writer, reader);
  } finally {
    await reader.close();
    await writer.close();
  }
};

describe('plain reads answered from views the member pushed', () => {
  it("follow another process's writes without asking the member", async () => {
    // Long enough that no held view expires on a slow machine: this test is about the pushes.
    await withWriterAndReader({ pushedViewsMaxAgeMs: 600_000 }, undefined, async (writer, reader) => {
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
    });
  });

  it('ask the member again once the view held is older than the bound', async () => {
    const clock = new FixedClock(Date.now());
    await withWriterAndReader({ pushedViewsMaxAgeMs: 1_000 }, clock, async (writer, reader) => {
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
    });
  });

  it('are not used with the Near Cache off: every plain read goes to the member', async () => {
    await withWriterAndReader({ nearCache: false, pushedViewsMaxAgeMs: 600_000 }, undefined, async (_writer, reader) => {
      const views = reader.ports.accountViews;
      await eventually(async () => (await views.get('acc'))?.version === 1, { message: 'the reader never saw version 1' });
      const viewReads = countViewReads(reader.connection);
      for (let i = 0; i < 3; i++) expect((await views.get('acc'))?.version).toBe(1);
      expect(viewReads()).toBe(3);
    });
  });
});
