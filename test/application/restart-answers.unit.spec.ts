import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Application } from '../../src/application/application.js';
import type { AccountView, TransferView } from '../../src/domain/ports/read-model.port.js';
import { isRefusal } from '../../src/application/ports/application-error.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { createMemoryApp } from '../support/memory-app.js';
import { FixedClock } from '../support/fixed-clock.js';
import { foldLog } from '../support/fold-of-log.js';

const ACCOUNTS = ['a', 'b', 'c', 'd'];
const accountId = fc.constantFrom(...ACCOUNTS);
const amount = fc.integer({ min: 1, max: 500 });

type Command = { kind: 'deposit' | 'withdraw'; id: string; amount: number } | { kind: 'transfer'; from: string; to: string; amount: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constantFrom('deposit' as const, 'withdraw' as const), id: accountId, amount }),
  fc.record({ kind: fc.constant('transfer' as const), from: accountId, to: accountId, amount }),
);

/** One step while the views are refilled after the restart: apply a logged event, or ask a query. */
type Step = { kind: 'project'; pick: number } | { kind: 'get-account'; id: string } | { kind: 'get-transfer'; pick: number } | { kind: 'list' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('project' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('get-account' as const), id: fc.constantFrom(...ACCOUNTS, 'nobody') }),
  fc.record({ kind: fc.constant('get-transfer' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('list' as const) }),
);

const scenario = fc.record({
  before: fc.array(command, { minLength: 1, maxLength: 30 }),
  /** Commands taken while the views are being refilled (they reach the views as events like any other). */
  during: fc.array(command, { maxLength: 5 }),
  steps: fc.array(step, { minLength: 1, maxLength: 80 }),
});

const run = async (app: Application, c: Command): Promise<void> => {
  try {
    if (c.kind === 'transfer') {
      const { transferId } = await app.transfers.request({ from: c.from, to: c.to, amount: c.amount });
      await app.processManager.advance(transferId);
    } else if (c.kind === 'deposit') {
      await app.accounts.deposit(c.id, c.amount);
    } else {
      await app.accounts.withdraw(c.id, c.amount);
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
};

/** An answer: a view, or the code of the refusal. Anything else (a bug) is thrown. */
const answerOf = async <V>(query: () => Promise<V>): Promise<V | string> => {
  try {
    return await query();
  } catch (error) {
    if (isRefusal(error)) return error.code;
    throw error;
  }
};

describe('after a full restart (views and checkpoints gone, the log kept), no query answers wrong', () => {
  it('every answer is the fold of the log at the version it states, never below one answered before, or 503 read-model-lagging', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const clock = new FixedClock();
        const first = createMemoryApp({ clock });
        for (const id of ACCOUNTS) await first.app.accounts.open({ accountId: id, owner: `owner-${id}`, currency: 'KRW' });
        for (const c of s.before) await run(first.app, c);
        // The views before the restart hold the whole log, and every account was answered once.
        await first.app.currency.refresh();
        for (const event of first.backend.eventLog.all()) await first.app.dispatcher.dispatch(event);
        const floor = new Map<string, number>();
        for (const id of ACCOUNTS) floor.set(id, (await first.app.accountQueries.get(id)).version);

        // The restart: a second process over the same log, its views and checkpoints empty.
        const log = first.backend.eventLog;
        const second = createMemoryApp({ clock, overrides: () => ({ eventLog: log }) });
        const { app } = second;
        await app.currency.refresh();
        expect(app.currency.known).toBe(false);
        expect(app.readiness().missing).toContain('read model: not known current (replaying the log)');
        for (const c of s.during) await run(app, c);

        const unprojected: EventEnvelope[] = [...log.all()];
        const transferIds = [...new Set(unprojected.filter((e) => e.aggregateType === 'transfer').map((e) => e.aggregateId)), 'no-such-transfer'];
        const checkAccount = (id: string, answer: AccountView | string): void => {
          const exists = log.all().some((e) => e.aggregateType === 'account' && e.aggregateId === id);
          if (typeof answer === 'string') {
            expect(answer, `${id}: a refusal other than lagging`).toBe(exists ? 'READ_MODEL.LAGGING' : 'ACCOUNT.NOT_FOUND');
            return;
          }
          const atVersion = foldLog(log.all().filter((e) => e.aggregateType === 'account' && e.aggregateId === id && e.version <= answer.version));
          expect(answer, `${id}@${answer.version}`).toEqual(atVersion.accounts.get(id));
          expect(answer.version, `${id} went back below a version answered before`).toBeGreaterThanOrEqual(floor.get(id) ?? 0);
          floor.set(id, answer.version);
        };
        const checkTransfer = (id: string, answer: TransferView | string): void => {
          const exists = log.all().some((e) => e.aggregateType === 'transfer' && e.aggregateId === id);
          if (typeof answer === 'string') {
            expect(answer, `${id}: a refusal other than lagging`).toBe(exists ? 'READ_MODEL.LAGGING' : 'TRANSFER.NOT_FOUND');
            return;
          }
          const atVersion = foldLog(log.all().filter((e) => e.aggregateType === 'transfer' && e.aggregateId === id && e.version <= answer.version));
          expect(answer).toEqual(atVersion.transfers.get(id));
        };

        for (const st of s.steps) {
          if (st.kind === 'project') {
            // Any order: the live feed and the sweep's windows reach the views in no order of the log's.
            const [event] = unprojected.splice(st.pick % Math.max(1, unprojected.length), 1);
            if (event) await app.dispatcher.dispatch(event);
          } else if (st.kind === 'get-account') {
            checkAccount(st.id, await answerOf(() => app.accountQueries.get(st.id)));
          } else if (st.kind === 'get-transfer') {
            const id = transferIds[st.pick % transferIds.length]!;
            checkTransfer(id, await answerOf(() => app.transferQueries.get(id)));
          } else {
            expect(await answerOf(() => app.accountQueries.list({ limit: 50 }))).toBe('READ_MODEL.LAGGING');
          }
        }

        // The reconciler's first sweep replays the whole log; from then on the views are current.
        await app.reconciler.sweep();
        await app.currency.refresh();
        expect(app.currency.known).toBe(true);
        expect(app.readiness().missing).not.toContain('read model: not known current (replaying the log)');
        const expected = foldLog(log.all());
        for (const id of ACCOUNTS) {
          const answer = await app.accountQueries.get(id);
          checkAccount(id, answer);
          expect(answer).toEqual(expected.accounts.get(id));
        }
        for (const [id, view] of expected.transfers) expect(await app.transferQueries.get(id)).toEqual(view);
        expect((await app.accountQueries.list({ limit: 50 })).items).toEqual(ACCOUNTS.map((id) => expected.accounts.get(id)));
      }),
      { numRuns: 100 },
    );
  });

  it('a process whose log is empty knows its views current at once', async () => {
    const { app } = createMemoryApp();
    await app.start();
    try {
      expect(app.currency.known).toBe(true);
      expect(app.readiness()).toEqual({ ready: true, missing: [] });
    } finally {
      await app.stop();
    }
  });
});
