import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { defaultApplicationOptions } from '../../src/composition/defaults.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { composeTestApplication } from '../support/test-composition.js';

describe('application on the memory backend', () => {
  it('opens, deposits, transfers and projects', async () => {
    const clock = new SystemClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 1000 });
    const app = composeTestApplication(backend, { clock, ids: new SequentialIds(), options: defaultApplicationOptions('test') });
    await app.start();
    try {
      await app.accounts.open({ accountId: 'a', owner: 'Ann', currency: 'KRW' });
      await app.accounts.open({ accountId: 'b', owner: 'Bob', currency: 'KRW' });
      const dep = await app.accounts.deposit('a', 1000);
      expect(dep.version).toBe(2);
      const { transferId } = await app.transfers.request({ from: 'a', to: 'b', amount: 300 });
      const final = await app.processManager.advance(transferId);
      expect(final.status).toBe('completed');
      const a = await app.accountQueries.get('a', { minVersion: 3, waitMs: 2000 });
      const b = await app.accountQueries.get('b', { minVersion: 2, waitMs: 2000 });
      expect(a.balance).toBe(700);
      expect(b.balance).toBe(300);
      const tx = await app.accountQueries.transactions('a', { limit: 10 });
      expect(tx.items.map((t) => t.type)).toEqual(['opened', 'deposit', 'transfer-out']);
    } finally {
      await app.stop();
    }
  });
});
