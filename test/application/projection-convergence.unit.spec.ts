import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../src/domain/ports/event-bus.port.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import { createMemoryApp } from '../support/memory-app.js';
import { FixedClock } from '../support/fixed-clock.js';
import { foldLog } from '../support/fold-of-log.js';
import { seededRandom } from '../support/seeded-random.js';

const ACCOUNTS = ['a', 'b', 'c', 'd'];
const accountId = fc.constantFrom(...ACCOUNTS);
const amount = fc.integer({ min: 1, max: 500 });

type Command =
  | { kind: 'open'; id: string; currency: 'KRW' | 'USD' }
  | { kind: 'deposit' | 'withdraw'; id: string; amount: number }
  | { kind: 'close'; id: string }
  | { kind: 'transfer'; from: string; to: string; amount: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('open' as const), id: accountId, currency: fc.constantFrom('KRW' as const, 'USD' as const) }),
  fc.record({ kind: fc.constantFrom('deposit' as const, 'withdraw' as const), id: accountId, amount }),
  fc.record({ kind: fc.constant('close' as const), id: accountId }),
  fc.record({ kind: fc.constant('transfer' as const), from: accountId, to: accountId, amount }),
);

const schedule = fc.record({
  commands: fc
    .tuple(
      fc.subarray(ACCOUNTS.map((id): Command => ({ kind: 'open', id, currency: 'KRW' }))),
      fc.array(command, { minLength: 1, maxLength: 40 }),
    )
    .map(([opens, rest]) => [...opens, ...rest]),
  faultSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  drop: fc.double({ min: 0, max: 0.3, noNaN: true }),
  duplicate: fc.double({ min: 0, max: 0.3, noNaN: true }),
  delay: fc.double({ min: 0, max: 0.3, noNaN: true }),
  /** Deliveries are taken in this order, `parallelism` at a time. */
  deliveryOrder: fc.array(fc.nat(), { maxLength: 400 }),
  parallelism: fc.integer({ min: 1, max: 4 }),
});

describe('projections converge under any delivery schedule', () => {
  it('the read model equals the in-order fold of the log once delivery settles', async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (s) => {
        const clock = new FixedClock();
        const { app, backend, faulty } = createMemoryApp({
          clock,
          shardCount: 3,
          faults: { rates: { drop: s.drop, duplicate: s.duplicate, delay: s.delay }, random: seededRandom(s.faultSeed) },
        });
        for (const c of s.commands) {
          clock.advance(7);
          await run(app, c).catch((error: unknown) => {
            if (!(error instanceof DomainError)) throw error;
          });
        }
        faulty!.flush();

        // Every delivery any shard holds, in a generated order with duplicates kept, handled concurrently.
        const deliveries: FeedItem[] = [];
        for (let shard = 0; shard < 3; shard++) deliveries.push(...(await backend.bus.read(shard, 0, 100_000, 0)).items);
        const pending = [...deliveries];
        const ordered: FeedItem[] = [];
        for (const pick of s.deliveryOrder) {
          if (pending.length === 0) break;
          ordered.push(...pending.splice(pick % pending.length, 1));
        }
        ordered.push(...pending);
        for (let i = 0; i < ordered.length; i += s.parallelism) {
          await Promise.all(ordered.slice(i, i + s.parallelism).map((item) => app.dispatcher.dispatch(item.event)));
        }

        // Dropped deliveries are recovered from the log by the reconciler once they are old enough.
        clock.advance(60_000);
        await app.reconciler.sweep();

        const expected = foldLog(backend.eventLog.all());
        for (const [id, view] of expected.accounts) {
          expect(await backend.accountViews.get(id)).toEqual(view);
          expect(await backend.transactionHistory.list(id, 0, view.version, 10_000)).toEqual(expected.transactions.get(id));
        }
        for (const [id, view] of expected.transfers) expect(await backend.transferViews.get(id)).toEqual(view);
        expect(await backend.parked.list(10)).toEqual([]);
        for (const id of ACCOUNTS) if (!expected.accounts.has(id)) expect(await backend.accountViews.get(id)).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });
});

const run = async (app: ReturnType<typeof createMemoryApp>['app'], c: Command): Promise<void> => {
  switch (c.kind) {
    case 'open':
      await app.accounts.open({ accountId: c.id, owner: `owner-${c.id}`, currency: c.currency });
      return;
    case 'deposit':
      await app.accounts.deposit(c.id, c.amount);
      return;
    case 'withdraw':
      await app.accounts.withdraw(c.id, c.amount);
      return;
    case 'close':
      await app.accounts.close(c.id);
      return;
    case 'transfer': {
      const { transferId } = await app.transfers.request({ from: c.from, to: c.to, amount: c.amount });
      await app.processManager.advance(transferId);
      return;
    }
  }
};
