import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryApp } from '../support/memory-app.js';
import { seededRandom, TEST_SEED } from '../support/seeded-random.js';
import { accountWriteModel } from '../support/write-model.js';

/**
 * Transfers and deposits on the same few accounts at once, all in one process: the load under which
 * every deposit that landed between a step's claim and its append used to send the step round
 * again (ADR 0007). Each step is now a plain command its account decides (ADR 0029): the transfer's
 * stream holds its request and its end, nothing else.
 */
describe('transfers among busy accounts in one process', () => {
  it('end after one request and one settlement each, and conserve money', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const random = seededRandom(seed);
        const { app, backend } = createMemoryApp();
        const ids = ['a', 'b', 'c', 'd'];
        for (const id of ids) {
          await app.accounts.open({ accountId: id, owner: 'o', currency: 'KRW' });
          await app.accounts.deposit(id, 1_000);
        }
        const pick = (): string => ids[Math.floor(random() * ids.length)]!;
        const transfers: string[] = [];
        const work = Array.from({ length: 60 }, async (_, i) => {
          if (i % 3 === 0) {
            const from = pick();
            const to = ids.find((id) => id !== from && random() < 0.5) ?? ids.find((id) => id !== from)!;
            const { transferId } = await app.transfers.request({ from, to, amount: 1 + Math.floor(random() * 50), transferId: `t-${i}` });
            transfers.push(transferId);
          } else {
            await app.accounts.deposit(pick(), 1 + Math.floor(random() * 10));
          }
        });
        await Promise.all(work);
        await app.processManager.drain();

        let deposited = 4 * 1_000;
        for (const id of ids) {
          for (const event of await backend.eventLog.read('account', id, 1, 10_000)) {
            if (event.eventType === 'MoneyDeposited' && event.version > 2) deposited += (event.data as { amount: number }).amount;
          }
        }
        let balances = 0;
        for (const id of ids) {
          const account = await accountWriteModel(backend, id);
          balances += account.state.status === 'open' ? account.state.balance : 0;
        }
        for (const transferId of transfers) {
          const events = await backend.eventLog.read('transfer', transferId, 1, 100);
          // Requested, then settled once: no claims, no step recorded twice, nothing sent round (ADR 0029).
          expect(events.map((e) => e.eventType), `${transferId} (seed ${seed})`).toEqual(['TransferRequested', 'TransferSettled']);
        }
        expect(balances, `seed ${seed}`).toBe(deposited);
      }),
      { seed: TEST_SEED, numRuns: 20 },
    );
  });
});
