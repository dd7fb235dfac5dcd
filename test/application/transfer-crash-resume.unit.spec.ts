import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diedOf, dyingAfter } from '../support/dying-log.js';
import { createMemoryApp, testApplicationOptions } from '../support/memory-app.js';
import { composeTestApplication } from '../support/test-composition.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { accountWriteModel } from '../support/write-model.js';
import type { FixedClock } from '../support/fixed-clock.js';

describe('a transfer interrupted anywhere resumes and applies each step exactly once', () => {
  it.each([
    ['completes', 'KRW', 'completed', true],
    ['is refunded when the credit is refused', 'USD', 'failed', true],
    ['completes though the dying process saved no snapshot', 'KRW', 'completed', false],
    ['is refunded though the dying process saved no snapshot', 'USD', 'failed', false],
  ])('%s', async (_name, destinationCurrency, expectedStatus, savesSnapshots) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), async (crashAfter) => {
        const healthy = createMemoryApp();
        await healthy.app.accounts.open({ accountId: 'from', owner: 'o', currency: 'KRW' });
        await healthy.app.accounts.open({ accountId: 'to', owner: 'o', currency: destinationCurrency });
        await healthy.app.accounts.deposit('from', 100);

        const noSave = { saveIfNewer: async () => undefined };
        const dying = composeTestApplication(healthy.backend, {
          ports: {
            eventLog: dyingAfter(healthy.backend.eventLog, crashAfter),
            ...(savesSnapshots
              ? {}
              : {
                  accountSnapshots: { ...noSave, get: (id: string) => healthy.backend.accountSnapshots.get(id) },
                  transferSnapshots: { ...noSave, get: (id: string) => healthy.backend.transferSnapshots.get(id), listPending: () => Promise.resolve([]) },
                }),
          },
          clock: healthy.clock,
          ids: new SequentialIds('dying'),
          pause: () => Promise.resolve(),
        });
        try {
          const { transferId } = await dying.transfers.request({ from: 'from', to: 'to', amount: 40, transferId: 't1' });
          await dying.processManager.advance(transferId);
        } catch (error) {
          if (!diedOf(error)) throw error;
        }

        // Another process's reconciler finds the transfer, through its log, and finishes it.
        const requested = (await healthy.backend.eventLog.read('transfer', 't1', 1)).length > 0;
        (healthy.clock as FixedClock).advance(60_000);
        await healthy.app.reconciler.sweep();
        if (requested) {
          const ended = await healthy.backend.eventLog.read('transfer', 't1', 1);
          expect(ended.filter((e) => e.eventType === 'TransferSettled').map((e) => (e.data as { status: string }).status)).toEqual([expectedStatus]);
          const [endA, endB] = await Promise.all([healthy.app.processManager.advance('t1'), healthy.app.processManager.advance('t1')]);
          expect(endA.status).toBe(expectedStatus);
          expect(endB.status).toBe(expectedStatus);
        }

        const fromEvents = await healthy.backend.eventLog.read('account', 'from', 1);
        const toEvents = await healthy.backend.eventLog.read('account', 'to', 1);
        const count = (events: typeof fromEvents, type: string): number => events.filter((e) => e.eventType === type).length;
        const debits = count(fromEvents, 'TransferDebited');
        const refunds = count(fromEvents, 'TransferRefunded');
        const credits = count(toEvents, 'TransferCredited');
        expect(debits).toBeLessThanOrEqual(1);
        expect(credits).toBeLessThanOrEqual(1);
        expect(refunds).toBeLessThanOrEqual(1);
        if (requested) {
          expect(debits).toBe(1);
          expect(credits + refunds).toBe(1);
          expect(expectedStatus === 'completed' ? credits : refunds).toBe(1);
        }
        const balance = async (id: string): Promise<number> => {
          const account = await accountWriteModel(healthy.backend, id);
          // Saved every few versions (ADR 0028): never further behind the log than that.
          expect(account.lag).toBeLessThan(testApplicationOptions().accountSnapshotEvery);
          return account.state.status === 'none' ? Number.NaN : account.state.balance;
        };
        // The write model caught up from the log, and money was neither made nor lost.
        await healthy.app.accounts.deposit('from', 1);
        await healthy.app.accounts.deposit('to', 1);
        expect((await balance('from')) + (await balance('to'))).toBe(102);
      }),
    );
  });
});

describe('a snapshot that lags the log', () => {
  it('never turns into a refusal: the log is read before refusing', async () => {
    // Every version saved, so that the failed save is the only reason the snapshot lags.
    const { app, backend } = createMemoryApp({ applicationOptions: { accountSnapshotEvery: 1 } });
    await app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
    const realSave = backend.accountSnapshots.saveIfNewer.bind(backend.accountSnapshots);
    backend.accountSnapshots.saveIfNewer = async () => {
      throw new Error('the snapshot store is down');
    };
    // Accepted: the event is in the log, whatever became of the snapshot.
    expect((await app.accounts.deposit('acc', 100)).version).toBe(2);
    backend.accountSnapshots.saveIfNewer = realSave;
    expect((await backend.accountSnapshots.get('acc'))!.version).toBe(1);
    expect((await app.accounts.withdraw('acc', 50)).version).toBe(3);
    expect((await backend.accountSnapshots.get('acc'))!.state).toMatchObject({ balance: 50 });
  });
});
