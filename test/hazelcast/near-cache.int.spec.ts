import { describe, expect, it } from 'vitest';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';

describe('Near Cache', () => {
  it('is never trusted for minVersion beyond the version it holds', async () => {
    const namespace = uniqueNamespace('nc');
    const writer = await createHazelcastApp(namespace, { ownerId: 'writer' });
    // A second process whose Near Cache holds the view at version 1; it runs no projection.
    const reader = await createHazelcastApp(namespace, { ownerId: 'reader' });
    try {
      await writer.app.start();
      await writer.app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
      expect((await reader.app.accountQueries.get('acc', { minVersion: 1, waitMs: 5_000 })).version).toBe(1);

      for (let i = 0; i < 20; i++) {
        const { version } = await writer.app.accounts.deposit('acc', 10);
        // Whatever the reader's Near Cache holds, a minVersion read answers at that version or later.
        const view = await reader.app.accountQueries.get('acc', { minVersion: version, waitMs: 5_000 });
        expect(view.version).toBeGreaterThanOrEqual(version);
        expect(view.balance).toBe(10 * (view.version - 1));
      }
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
