import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { AccountQueries } from '../../src/application/queries/account-queries.js';
import { HeldViews, VIEWS_HELD } from '../../src/application/read-model/held-views.js';
import { ReadModelCurrency } from '../../src/application/read-model/read-model-currency.js';
import { silentLogger } from '../../src/application/ports/logger.port.js';
import type { BackendStatus } from '../../src/domain/ports/backend-status.port.js';
import type { AccountViews } from '../../src/domain/ports/read-model.port.js';
import { FixedClock } from '../support/fixed-clock.js';

/** Account views whose `holdAll` records its ids, and waits for `gate` when one is set. */
const recordingViews = (views: AccountViews) => {
  const calls: string[][] = [];
  const control = { gate: undefined as Promise<void> | undefined, onHold: (): void => undefined };
  const recorded: AccountViews = Object.assign(Object.create(views) as AccountViews, {
    holdAll: async (ids: readonly string[]) => {
      calls.push([...ids]);
      control.onHold();
      if (control.gate) await control.gate;
      return views.holdAll(ids);
    },
  });
  return { views: recorded, calls, control };
};

const open = async (backend: MemoryBackend, clock: FixedClock, type: 'account' | 'transfer', id: string): Promise<void> => {
  const outcome = await backend.eventLog.append({
    eventId: `${type}-${id}`,
    aggregateType: type,
    aggregateId: id,
    eventType: type === 'account' ? 'AccountOpened' : 'TransferRequested',
    version: 1,
    timestamp: new Date(clock.now()).toISOString(),
    data: {},
  });
  expect(outcome).toEqual({ ok: true });
};

describe('every account view held before a list is answered (ADR 0054)', () => {
  it('holds the view of every account stream of the log once, a batch at a time in id order, then saves the mark', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 100 });
    // Out of id order, and a transfer stream that is no account.
    for (const id of ['e', 'b', 'a', 'd', 'c']) await open(backend, clock, 'account', id);
    await open(backend, clock, 'transfer', 't');
    const { views, calls } = recordingViews(backend.accountViews);
    const held = new HeldViews(backend.eventLog, views, backend.checkpoints, backend.status, clock, silentLogger, { batch: 2, waitMs: 1_000 });
    expect(held.known).toBe(false);
    expect(await held.current()).toBe(0);
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(await backend.checkpoints.get(VIEWS_HELD, 0)).toMatchObject({ sequence: 5 });
    // Known: asked again, nothing is held again.
    expect(await held.current()).toBe(0);
    expect(calls).toHaveLength(3);

    // Another process on the same cluster reads the mark instead of holding the views again.
    const other = recordingViews(backend.accountViews);
    const second = new HeldViews(backend.eventLog, other.views, backend.checkpoints, backend.status, clock, silentLogger, { batch: 2, waitMs: 1_000 });
    expect(await second.current()).toBe(0);
    expect(other.calls).toEqual([]);
  });

  it('answers no epoch while holding takes longer than the wait, and the epoch once it is done', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 100 });
    await open(backend, clock, 'account', 'a');
    const { views, control } = recordingViews(backend.accountViews);
    let release = (): void => undefined;
    control.gate = new Promise((resolve) => (release = resolve));
    const held = new HeldViews(backend.eventLog, views, backend.checkpoints, backend.status, clock, silentLogger, { batch: 10, waitMs: 20 });
    expect(await held.current()).toBeUndefined();
    expect(held.holds(0)).toBe(false);
    expect(await backend.checkpoints.get(VIEWS_HELD, 0)).toBeUndefined();
    release();
    await held.hold();
    expect(held.holds(await held.current())).toBe(true);
  });

  it('starts over when the connection changes while it holds: what it held may be gone with the cluster', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 100 });
    for (const id of ['a', 'b', 'c']) await open(backend, clock, 'account', id);
    let epoch = 1;
    const status: BackendStatus = { check: () => ({ connected: true }), connectionEpoch: () => epoch };
    const { views, calls, control } = recordingViews(backend.accountViews);
    // The connection is lost and made again while the first batch is held.
    control.onHold = () => {
      if (calls.length === 1) epoch = 2;
    };
    const held = new HeldViews(backend.eventLog, views, backend.checkpoints, status, clock, silentLogger, { batch: 2, waitMs: 1_000 });
    await held.hold();
    expect(held.known).toBe(false);
    expect(await backend.checkpoints.get(VIEWS_HELD, 0)).toBeUndefined();
    expect(await held.current()).toBe(2);
    expect(calls).toEqual([['a', 'b'], ['a', 'b'], ['c']]);
  });

  it('stops after the batch in hand when the application stops, and holds nothing more', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 100 });
    for (const id of ['a', 'b', 'c', 'd']) await open(backend, clock, 'account', id);
    const { views, calls, control } = recordingViews(backend.accountViews);
    let release = (): void => undefined;
    control.gate = new Promise((resolve) => (release = resolve));
    const held = new HeldViews(backend.eventLog, views, backend.checkpoints, backend.status, clock, silentLogger, { batch: 2, waitMs: 1_000 });
    let entered = (): void => undefined;
    const inFirstBatch = new Promise<void>((resolve) => (entered = resolve));
    control.onHold = () => entered();
    const holding = held.hold();
    // Stopped while the first batch is held: the stop waits for it, and no second batch follows.
    await inFirstBatch;
    const stopping = held.stop();
    release();
    await stopping;
    await holding;
    expect(calls).toEqual([['a', 'b']]);
    expect(held.known).toBe(false);
    await held.hold();
    expect(calls).toHaveLength(1);
  });

  it('answers a list with 503 read-model-lagging until every view is held, then the list', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 100 });
    const { views, control } = recordingViews(backend.accountViews);
    let release = (): void => undefined;
    control.gate = new Promise((resolve) => (release = resolve));
    await open(backend, clock, 'account', 'a');
    await views.compareAndSet(
      'a',
      { accountId: 'a', owner: 'o', currency: 'KRW', balance: 0, status: 'open', version: 1, openedAt: '', updatedAt: '' },
      0,
    );
    const currency = new ReadModelCurrency(backend.checkpoints, backend.eventLog, backend.status, clock);
    await backend.checkpoints.save('reconciler', 0, { sequence: 0, eventTimeMs: clock.now() });
    const held = new HeldViews(backend.eventLog, views, backend.checkpoints, backend.status, clock, silentLogger, { batch: 10, waitMs: 20 });
    const queries = new AccountQueries(views, backend.transactionHistory, backend.eventLog, currency, held);
    await expect(queries.list({ limit: 10 })).rejects.toMatchObject({ code: 'READ_MODEL.LAGGING' });
    // A single view answers meanwhile: it is checked against the log, not against the list's rule.
    expect(await queries.get('a')).toMatchObject({ version: 1 });
    release();
    await held.hold();
    expect((await queries.list({ limit: 10 })).items.map((view) => view.accountId)).toEqual(['a']);
    queries.close();
  });
});
