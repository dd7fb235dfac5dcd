import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../src/domain/ports/backend-status.port.js';
import type { FlushedViews, PersistedWatermark } from '../../src/domain/ports/persisted-watermark.port.js';
import { TransactionHistoryInMemory } from '../../src/adapters/memory/transaction-history.in-memory.js';
import { createMemoryApp, testApplicationOptions } from '../support/memory-app.js';
import { FixedClock } from '../support/fixed-clock.js';

const FLUSHED: FlushedViews = { generations: { accounts: 0, transfers: 0 } };

/** A persisted watermark that records what the reconciler asks of it. */
const recording = (flush: () => Promise<FlushedViews> = () => Promise.resolve(FLUSHED)): PersistedWatermark & { readonly calls: string[] } => {
  const calls: string[] = [];
  return {
    calls,
    get: () => Promise.resolve(undefined),
    flush: () => {
      calls.push('flush');
      return flush();
    },
    save: (watermarkMs) => {
      calls.push(`save ${watermarkMs}`);
      return Promise.resolve(true);
    },
  };
};

/** A persisted watermark saved at `watermarkMs` by the cluster before the restart. */
const persistedAt = (watermarkMs: number): PersistedWatermark => ({
  get: () => Promise.resolve(watermarkMs),
  flush: () => Promise.resolve(FLUSHED),
  save: () => Promise.resolve(true),
});

describe('the persisted watermark (ADR 0050)', () => {
  it('is saved only after the views were stored, at the watermark of the sweep', async () => {
    const clock = new FixedClock();
    const persisted = recording();
    const { app } = createMemoryApp({ clock, overrides: () => ({ persistedWatermark: persisted }) });
    await app.accounts.open({ accountId: 'a', owner: 'o', currency: 'KRW' });
    const first = clock.now();
    await app.reconciler.sweep();
    clock.advance(10_000);
    await app.reconciler.sweep();
    const grace = testApplicationOptions().reconciler.graceMs;
    expect(persisted.calls).toEqual(['flush', `save ${first}`, 'flush', `save ${clock.now() - grace}`]);
  });

  it('is left as it was when the views are not stored in time, and the sweep still ends', async () => {
    const clock = new FixedClock();
    const persisted = recording(() => new Promise<FlushedViews>(() => undefined));
    const { app, backend } = createMemoryApp({
      clock,
      overrides: () => ({ persistedWatermark: persisted }),
      applicationOptions: { reconciler: { ...testApplicationOptions().reconciler, persistTimeoutMs: 10 } },
    });
    await app.accounts.open({ accountId: 'a', owner: 'o', currency: 'KRW' });
    await app.reconciler.sweep();
    expect(persisted.calls).toEqual(['flush']);
    // The cluster's own watermark is saved: the read model is current in this cluster.
    expect(await backend.checkpoints.get('reconciler', 0)).toBeDefined();
  });

  it('is not saved when the cluster was replaced while the views were stored', async () => {
    let epoch = 0;
    const status: BackendStatus = { check: () => ({ connected: true }), connectionEpoch: () => epoch };
    const persisted = recording(() => {
      epoch++;
      return Promise.resolve(FLUSHED);
    });
    const { app } = createMemoryApp({ overrides: () => ({ persistedWatermark: persisted, status }) });
    await app.accounts.open({ accountId: 'a', owner: 'o', currency: 'KRW' });
    await app.reconciler.sweep();
    expect(persisted.calls).toEqual(['flush']);
  });
});

describe('a restart with views kept in PostgreSQL (ADR 0050)', () => {
  /**
   * Before the restart: five events of account `a` at T0, the watermark persisted at T0 + 30 s, then
   * two more events at T0 + 60 s. The view of `a` was stored at its newest version, its history
   * only up to version 4 (they reach PostgreSQL in separate queues). Then the cluster restarts.
   */
  const restart = async (persistedWatermark: PersistedWatermark | undefined) => {
    const clock = new FixedClock();
    const t0 = clock.now();
    const before = createMemoryApp({ clock });
    await before.app.accounts.open({ accountId: 'a', owner: 'o', currency: 'KRW' });
    for (let i = 0; i < 4; i++) await before.app.accounts.deposit('a', 10);
    clock.advance(60_000);
    await before.app.accounts.open({ accountId: 'b', owner: 'o', currency: 'KRW' });
    await before.app.accounts.deposit('a', 5);
    await before.app.reconciler.sweep();
    const kept = new TransactionHistoryInMemory();
    await kept.putAll(await before.backend.transactionHistory.list('a', 0, 4, 100));

    const after = createMemoryApp({
      clock,
      overrides: () => ({
        eventLog: before.backend.eventLog,
        accountViews: before.backend.accountViews,
        transactionHistory: kept,
        ...(persistedWatermark ? { persistedWatermark: persistedWatermark(t0) } : {}),
      }),
    });
    clock.advance(1_000);
    const report = await after.app.reconciler.sweep();
    const history = await after.app.accountQueries.transactions('a', { limit: 100 });
    return {
      scanned: report.scanned,
      folded: report.folded,
      versions: history.items.map((entry) => entry.version),
      balance: (await after.app.accountQueries.get('a')).balance,
    };
  };
  type PersistedWatermark = (t0: number) => import('../../src/domain/ports/persisted-watermark.port.js').PersistedWatermark;

  it('replays only the events since the persisted watermark, and writes again the history entries a kept view promises', async () => {
    expect(await restart((t0) => persistedAt(t0 + 30_000))).toEqual({ scanned: 2, folded: 0, versions: [1, 2, 3, 4, 5, 6], balance: 45 });
  });

  it('without a persisted watermark folds the whole log stream by stream (ADR 0053), then reads by time only what was recorded since the fold began', async () => {
    // The two events recorded within the overlap before the fold began are read by time as well.
    expect(await restart(undefined)).toEqual({ scanned: 2, folded: 7, versions: [1, 2, 3, 4, 5, 6], balance: 45 });
  });

  it('without a persisted watermark, an event recorded while the fold runs reaches the views and the history too', async () => {
    const clock = new FixedClock();
    const before = createMemoryApp({ clock });
    await before.app.accounts.open({ accountId: 'a', owner: 'o', currency: 'KRW' });
    for (let i = 0; i < 4; i++) await before.app.accounts.deposit('a', 10);
    clock.advance(60_000);
    let after: ReturnType<typeof createMemoryApp> | undefined;
    let raced = false;
    const views = before.backend.accountViews;
    // A deposit lands after the fold read the stream of `a` and before it writes the view.
    const racing = new Proxy(views, {
      get(target, property) {
        if (property === 'raiseAll') {
          return async (batch: Parameters<typeof views.raiseAll>[0]) => {
            if (batch.has('a') && !raced) {
              raced = true;
              clock.advance(1);
              await after!.app.accounts.deposit('a', 7);
            }
            return target.raiseAll(batch);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    after = createMemoryApp({ clock, overrides: () => ({ eventLog: before.backend.eventLog, accountViews: racing }) });
    const report = await after.app.reconciler.sweep();
    expect(raced).toBe(true);
    expect(report.folded).toBe(5);
    // Counted as projected (the operator's metric): the stream folded, then the deposit on the usual path.
    expect(after.app.dispatcher.countersOf('accounts').applied).toBe(2);
    expect(await after.app.accountQueries.get('a')).toMatchObject({ version: 6, balance: 47 });
    const history = await after.app.accountQueries.transactions('a', { limit: 100 });
    expect(history.items.map((entry) => entry.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('resumes a transfer requested before the persisted watermark and never settled', async () => {
    const clock = new FixedClock();
    const t0 = clock.now();
    const before = createMemoryApp({ clock });
    await before.app.accounts.open({ accountId: 'a', owner: 'o', currency: 'KRW' });
    await before.app.accounts.deposit('a', 100);
    await before.app.accounts.open({ accountId: 'b', owner: 'o', currency: 'KRW' });
    // Requested; its process dies with the cluster before it takes a step (it is never kicked).
    Object.assign(before.app.processManager, { kick: () => undefined });
    const { transferId } = await before.app.transfers.request({ from: 'a', to: 'b', amount: 30 });
    expect((await before.backend.eventLog.read('transfer', transferId, 1)).map((event) => event.eventType)).toEqual(['TransferRequested']);
    clock.advance(60_000);

    const after = createMemoryApp({ clock, overrides: () => ({ eventLog: before.backend.eventLog, persistedWatermark: persistedAt(t0 + 30_000) }) });
    await after.app.reconciler.sweep();
    const transfer = await before.backend.eventLog.read('transfer', transferId, 1);
    expect(transfer.at(-1)?.eventType).toBe('TransferSettled');
    expect((await before.backend.eventLog.read('account', 'b', 1)).at(-1)?.eventType).toBe('TransferCredited');
  });
});
