import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryApp } from '../support/memory-app.js';
import { seededRandom, TEST_SEED } from '../support/seeded-random.js';
import { accountWriteModel } from '../support/write-model.js';

/**
 * Transfers and deposits on the same few accounts at once, all in one process: the load under which
 * every deposit that landed between a step's claim and its append used to send the step round
 * again. A step runs with its account to itself (ADR 0007 revision), so each is claimed once.
 */
describe('transfers among busy accounts in one process', () => {
  it('claim each step once, end, and conserve money', async () => {
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
          const claims = events.filter((e) => e.eventType === 'TransferStepClaimed').length;
          const ended = events.some((e) => e.eventType === 'TransferCreditApplied' || e.eventType === 'TransferDebitRefused' || e.eventType === 'TransferRefundApplied');
          expect(ended, `${transferId} ended (seed ${seed})`).toBe(true);
          // Debit and credit, or a refused debit: never a step claimed twice.
          expect(claims, `${transferId} claims (seed ${seed})`).toBeLessThanOrEqual(2);
        }
        expect(balances, `seed ${seed}`).toBe(deposited);
      }),
      { seed: TEST_SEED, numRuns: 20 },
    );
  });
});
