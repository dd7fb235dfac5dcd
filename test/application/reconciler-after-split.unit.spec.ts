import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../src/domain/ports/backend-status.port.js';
import { createMemoryApp } from '../support/memory-app.js';
import { FixedClock } from '../support/fixed-clock.js';

/**
 * A split brain and its merge (ADR 0035): the other side appends an event while the sides are
 * apart, and it reaches this side's log only with the merge, recorded long before the reconciler's
 * watermark, with its publication lost. The views must still get it.
 */
const scenario = async (membershipChanges: boolean, noticedAfterMs = 0): Promise<{ before: number; after: number }> => {
  let changes = 0;
  const clock = new FixedClock();
  const status: BackendStatus = {
    check: () => ({ connected: true }),
    connectionEpoch: () => 0,
    ...(membershipChanges ? { membershipChanges: () => changes } : {}),
  };
  const { app, backend } = createMemoryApp({ clock, overrides: () => ({ status }) });
  await app.accounts.open({ accountId: 'a', owner: 'o', currency: 'KRW' });
  await app.accounts.deposit('a', 100);
  clock.advance(10_000);
  await app.reconciler.sweep();
  const before = (await app.accountQueries.get('a')).balance;

  // The split: the other side appends a deposit from the moment of the cut...
  const head = (await backend.eventLog.read('account', 'a', 1)).at(-1)!;
  const recordedApart = clock.now();
  // ...and this side notices that a member left only once its failure detection says so, its
  // sweeps going on meanwhile.
  for (let waited = 0; waited < noticedAfterMs; waited += 2_000) {
    clock.advance(2_000);
    await app.reconciler.sweep();
  }
  changes++;
  clock.advance(2_000);
  await app.reconciler.sweep();
  // ...while this side's sweeps go on past it.
  for (let i = 0; i < 10; i++) {
    clock.advance(2_000);
    await app.reconciler.sweep();
  }
  // The merge: the member joins again and brings the event into this side's log, unpublished.
  await backend.eventLog.append({
    eventId: 'appended-on-the-other-side',
    aggregateType: 'account',
    aggregateId: 'a',
    eventType: 'MoneyDeposited',
    version: head.version + 1,
    timestamp: new Date(recordedApart).toISOString(),
    data: { amount: 5 },
  });
  changes++;
  clock.advance(2_000);
  await app.reconciler.sweep();
  return { before, after: (await app.accountQueries.get('a')).balance };
};

describe('the reconciler after a change of membership', () => {
  it('reads the log again from its watermark before the change, so an event the merge brings in reaches the views', async () => {
    expect(await scenario(true)).toEqual({ before: 100, after: 105 });
  });

  it('reads the log again from as long before the change as its detection may take: the event recorded at the cut reaches the views', async () => {
    // Noticed 14 s after the cut (the test cluster's 6 s without heartbeat, a loaded machine):
    // the watermark had passed the event by more than the sweeps' overlap.
    expect(await scenario(true, 14_000)).toEqual({ before: 100, after: 105 });
  });

  it('without the change known, the sweep looks back only a few seconds and the event stays out of the views', async () => {
    expect(await scenario(false)).toEqual({ before: 100, after: 100 });
  });
});
