import { describe, expect, it } from 'vitest';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';

describe('application on Hazelcast', () => {
  it('opens, deposits, transfers and projects', async () => {
    const { app, close } = await createHazelcastApp(uniqueNamespace('smoke'));
    await app.start();
    try {
      await app.accounts.open({ accountId: 'a', owner: 'Ann', currency: 'KRW' });
      await app.accounts.open({ accountId: 'b', owner: 'Bob', currency: 'KRW' });
      expect((await app.accounts.deposit('a', 1000)).version).toBe(2);
      const { transferId } = await app.transfers.request({ from: 'a', to: 'b', amount: 300 });
      expect((await app.processManager.advance(transferId)).status).toBe('completed');
      expect((await app.accountQueries.get('a', { minVersion: 3, waitMs: 5000 })).balance).toBe(700);
      expect((await app.accountQueries.get('b', { minVersion: 2, waitMs: 5000 })).balance).toBe(300);
      const tx = await app.accountQueries.transactions('a', { limit: 10 });
      expect(tx.items.map((t) => t.type)).toEqual(['opened', 'deposit', 'transfer-out']);
      const list = await app.accountQueries.list({ limit: 10 });
      expect(list.items.map((v) => v.accountId)).toEqual(['a', 'b']);
    } finally {
      await close();
    }
  });
});
