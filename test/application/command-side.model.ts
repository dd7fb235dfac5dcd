import { accountWriteModel } from '../support/write-model.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../src/domain/account/account.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import type { Application } from '../../src/application/application.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import type { BackendPorts } from '../../src/application/application.js';
import { composeTestApplication, testApplicationOptions } from '../support/test-composition.js';
import { SequentialIds } from '../support/sequential-ids.js';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { diedOf, dyingAfter } from '../support/dying-log.js';
import { ContentionTimeoutError } from '../../src/application/ports/backend-errors.js';

/** The system under test: an application and the ports it runs on (any backend). */
export interface System {
  readonly app: Application;
  readonly backend: BackendPorts;
  close(): Promise<void>;
}
type MemoryApp = System;

/** The model: what each account should hold, nothing about events, snapshots or projections. */
interface ModelAccount {
  balance: number;
  status: 'open' | 'closed';
  version: number;
}
type Model = Map<string, ModelAccount>;

const IDS = ['a', 'b', 'c'];

const writeModel = async (real: MemoryApp, id: string): Promise<{ state: AccountState; version: number } | undefined> => {
  const account = await accountWriteModel(real.backend, id);
  return account.version === 0 ? undefined : account;
};

const refusalOf = async (promise: Promise<unknown>): Promise<string | undefined> => {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

class Open implements fc.AsyncCommand<Model, MemoryApp> {
  constructor(readonly id: string) {}
  check = (): boolean => true;
  async run(model: Model, real: MemoryApp): Promise<void> {
    const refusal = await refusalOf(real.app.accounts.open({ accountId: this.id, owner: 'o', currency: 'KRW' }));
    expect(refusal).toBe(model.has(this.id) ? 'ACCOUNT.ALREADY_EXISTS' : undefined);
    if (!model.has(this.id)) model.set(this.id, { balance: 0, status: 'open', version: 1 });
  }
  toString = (): string => `open(${this.id})`;
}

class Deposit implements fc.AsyncCommand<Model, MemoryApp> {
  constructor(readonly id: string, readonly amount: number) {}
  check = (): boolean => true;
  async run(model: Model, real: MemoryApp): Promise<void> {
    const account = model.get(this.id);
    const refusal = await refusalOf(real.app.accounts.deposit(this.id, this.amount));
    expect(refusal).toBe(!account ? 'ACCOUNT.NOT_FOUND' : account.status === 'closed' ? 'ACCOUNT.CLOSED' : undefined);
    if (account && !refusal) {
      account.balance += this.amount;
      account.version++;
    }
  }
  toString = (): string => `deposit(${this.id}, ${this.amount})`;
}

class Close implements fc.AsyncCommand<Model, MemoryApp> {
  constructor(readonly id: string) {}
  check = (): boolean => true;
  async run(model: Model, real: MemoryApp): Promise<void> {
    const account = model.get(this.id);
    const expected = !account
      ? 'ACCOUNT.NOT_FOUND'
      : account.status === 'closed'
        ? 'ACCOUNT.CLOSED'
        : account.balance !== 0
          ? 'ACCOUNT.BALANCE_NOT_ZERO'
          : undefined;
    expect(await refusalOf(real.app.accounts.close(this.id))).toBe(expected);
    if (account && !expected) {
      account.status = 'closed';
      account.version++;
    }
  }
  toString = (): string => `close(${this.id})`;
}

/** n withdrawals of one amount at once: exactly the ones the balance allows succeed, each with its own version. */
class ConcurrentWithdrawals implements fc.AsyncCommand<Model, MemoryApp> {
  constructor(readonly id: string, readonly n: number, readonly amount: number) {}
  check = (model: Readonly<Model>): boolean => model.get(this.id)?.status === 'open';
  async run(model: Model, real: MemoryApp): Promise<void> {
    const account = model.get(this.id)!;
    const outcomes = await Promise.allSettled(Array.from({ length: this.n }, () => real.app.accounts.withdraw(this.id, this.amount)));
    const accepted = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.version] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    const allowed = Math.min(this.n, Math.floor(account.balance / this.amount));
    expect(accepted).toHaveLength(allowed);
    for (const reason of refused) expect((reason as DomainError).code).toBe('ACCOUNT.INSUFFICIENT_FUNDS');
    expect([...accepted].sort((x, y) => x - y)).toEqual(Array.from({ length: allowed }, (_, i) => account.version + 1 + i));
    account.balance -= allowed * this.amount;
    account.version += allowed;
  }
  toString = (): string => `withdraw×${this.n}(${this.id}, ${this.amount})`;
}

/** Transfers and deposits at once: money is neither made nor lost, and no balance goes negative. */
class ConcurrentTransfers implements fc.AsyncCommand<Model, MemoryApp> {
  constructor(readonly transfers: readonly { from: string; to: string; amount: number }[]) {}
  check = (): boolean => true;
  async run(model: Model, real: MemoryApp): Promise<void> {
    const total = [...model.values()].reduce((sum, a) => sum + a.balance, 0);
    const refusals = await Promise.all(this.transfers.map((t) => refusalOf(real.app.transfers.request(t))));
    refusals.forEach((refusal, i) => expect(refusal).toBe(this.transfers[i]!.from === this.transfers[i]!.to ? 'TRANSFER.SAME_ACCOUNT' : undefined));
    const pending = await real.backend.transferSnapshots.listPending({ limit: 1000 });
    await Promise.all(pending.map((p) => real.app.processManager.advance(p.transferId)));
    expect(await real.backend.transferSnapshots.listPending({ limit: 1000 })).toEqual([]);
    let after = 0;
    for (const [id, account] of model) {
      const stored = await writeModel(real, id);
      expect(stored).toBeDefined();
      const state = stored!.state;
      if (state.status === 'none') throw new Error(`${id} lost its state`);
      expect(state.balance).toBeGreaterThanOrEqual(0);
      expect(stored!.version).toBeGreaterThanOrEqual(account.version);
      account.balance = state.balance;
      account.version = stored!.version;
      after += state.balance;
    }
    expect(after).toBe(total);
  }
  toString = (): string => `transfers(${JSON.stringify(this.transfers)})`;
}

const id = fc.constantFrom(...IDS);
const amount = fc.integer({ min: 1, max: 300 });
const commands = [
  id.map((i) => new Open(i)),
  fc.tuple(id, amount).map(([i, a]) => new Deposit(i, a)),
  id.map((i) => new Close(i)),
  fc.tuple(id, fc.integer({ min: 2, max: 50 }), amount).map(([i, n, a]) => new ConcurrentWithdrawals(i, n, a)),
  fc.array(fc.record({ from: id, to: id, amount }), { minLength: 1, maxLength: 8 }).map((t) => new ConcurrentTransfers(t)),
];

/** The event log as a process sees it, its calls released in the order the scheduler picks. */
const reordered = (log: EventLog, s: fc.Scheduler): EventLog => ({
  read: s.scheduleFunction((...args: Parameters<EventLog['read']>) => log.read(...args)),
  append: s.scheduleFunction((event: EventEnvelope) => log.append(event)),
  recordedPage: (...args) => log.recordedPage(...args),
  streamsPage: (...args) => log.streamsPage(...args),
  streamsWithout: (...args) => log.streamsWithout(...args),
  streamIds: (...args) => log.streamIds(...args),
  count: (...args) => log.count(...args),
  ...(log.publishesAppends === undefined ? {} : { publishesAppends: log.publishesAppends }),
});

/** What a process that dies, or loses a race for too long, leaves behind: for the others to finish. */
const interrupted = (error: unknown): boolean => diedOf(error) || error instanceof ContentionTimeoutError;

const ACCOUNTS = [
  { id: 'a', currency: 'KRW', deposit: 300 },
  { id: 'b', currency: 'KRW', deposit: 50 },
  { id: 'c', currency: 'KRW', deposit: 0, closed: true },
  { id: 'd', currency: 'USD', deposit: 100 },
] as const;
/** Named by transfers, never opened. */
const GHOST = 'ghost';

/**
 * Transfers advanced at once by two healthy processes and one that dies after a number of appends,
 * each transfer advanced more than once, with deposits landing in between and every read and
 * append of the log released in an order fast-check picks; then a fresh process finishes what is
 * left. Each step is decided exactly once: applied or declined once on its account, whatever the
 * interleaving.
 */
const exactlyOnceSteps = async (createSystem: () => Promise<System>, numRuns: number): Promise<void> => {
  const party = fc.constantFrom('a', 'b', 'c', 'd', GHOST);
  const transfer = fc.record({ from: party, to: party, amount: fc.integer({ min: 1, max: 120 }) }).filter((t) => t.from !== t.to);
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(transfer, { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.constantFrom('a', 'b', 'd'), { maxLength: 4 }),
      async (s, transfers, crashAfter, deposits) => {
        const system = await createSystem();
        const { backend } = system;
        const processes: Application[] = [];
        try {
          for (const account of ACCOUNTS) {
            await system.app.accounts.open({ accountId: account.id, owner: 'o', currency: account.currency });
            if (account.deposit > 0) await system.app.accounts.deposit(account.id, account.deposit);
            if ('closed' in account) await system.app.accounts.close(account.id);
          }
          const process = (name: string, eventLog: EventLog): Application => {
            const app = composeTestApplication(backend, {
              ports: { eventLog },
              clock: new SystemClock(),
              ids: new SequentialIds(name),
              options: { ...testApplicationOptions(), ownerId: name },
            });
            processes.push(app);
            return app;
          };
          const first = process('first', reordered(backend.eventLog, s));
          const second = process('second', reordered(backend.eventLog, s));
          const dying = process('dying', dyingAfter(reordered(backend.eventLog, s), crashAfter));
          const ids = transfers.map((_, i) => `t${i}`);
          // Accepted first (the accepting process starts advancing each at once), then advanced by all.
          const requested = await s.waitFor(Promise.allSettled(transfers.map((t, i) => first.transfers.request({ ...t, transferId: ids[i]! }))));
          for (const outcome of requested) if (outcome.status === 'rejected') throw outcome.reason;
          const work: Promise<unknown>[] = [
            ...ids.flatMap((id) => [second.processManager.advance(id), dying.processManager.advance(id), first.processManager.advance(id)]),
            ...deposits.map((id) => second.accounts.deposit(id, 10)),
          ];
          const settled = await s.waitFor(Promise.allSettled(work));
          await s.waitFor(Promise.allSettled(processes.map((p) => p.processManager.drain())));
          for (const outcome of settled) if (outcome.status === 'rejected' && !interrupted(outcome.reason)) throw outcome.reason;

          // A fresh process finishes every transfer, as the reconciler would.
          const finisher = process('finisher', backend.eventLog);
          const ended = new Map<string, Awaited<ReturnType<Application['processManager']['advance']>>>();
          for (const id of ids) ended.set(id, await finisher.processManager.advance(id));

          const events = new Map<string, readonly EventEnvelope[]>();
          for (const id of [...ACCOUNTS.map((a) => a.id), GHOST]) events.set(id, await backend.eventLog.read('account', id, 1));
          expect(events.get(GHOST)).toEqual([]);
          const transferStreams = new Map<string, readonly EventEnvelope[]>();
          for (const id of ids) transferStreams.set(id, await backend.eventLog.read('transfer', id, 1));
          const steps = (accountId: string, transferId: string, types: readonly string[]): number =>
            events.get(accountId)!.filter((e) => types.includes(e.eventType) && (e.data as { transferId?: string }).transferId === transferId).length;
          transfers.forEach((t, i) => {
            const id = ids[i]!;
            const state = ended.get(id)!;
            expect(state.status === 'completed' || state.status === 'failed', `${id} ended`).toBe(true);
            // Its stream records the request and the end, once each, whoever ran it.
            expect(transferStreams.get(id)!.map((e) => e.eventType), `${id} stream`).toEqual(['TransferRequested', 'TransferSettled']);
            const debited = steps(t.from, id, ['TransferDebited']);
            const debitDeclined = steps(t.from, id, ['TransferDebitDeclined']);
            const refunded = t.from === GHOST ? 0 : steps(t.from, id, ['TransferRefunded']);
            const credited = t.to === GHOST ? 0 : steps(t.to, id, ['TransferCredited']);
            const creditDeclined = t.to === GHOST ? 0 : steps(t.to, id, ['TransferCreditDeclined']);
            // Each step decided at most once, and the outcome the transfer recorded is the account's.
            for (const n of [debited, debitDeclined, refunded, credited, creditDeclined]) expect(n, `${id}: a step decided twice`).toBeLessThanOrEqual(1);
            expect(debited + debitDeclined, `${id}: debit`).toBe(t.from === GHOST ? 0 : 1);
            if (state.status === 'completed') expect([debited, credited, refunded]).toEqual([1, 1, 0]);
            else if (debited === 1) expect([credited, creditDeclined + (t.to === GHOST ? 1 : 0), refunded], `${id}: refunded`).toEqual([0, 1, 1]);
            else expect([credited, creditDeclined, refunded]).toEqual([0, 0, 0]);
          });
          // Money is neither made nor lost, and no balance went negative.
          let total = 0;
          for (const account of ACCOUNTS) {
            const stored = await writeModel(system, account.id);
            const balance = stored!.state.status === 'none' ? Number.NaN : stored!.state.balance;
            expect(balance).toBeGreaterThanOrEqual(0);
            if (account.currency === 'KRW') total += balance;
          }
          const deposited = ACCOUNTS.filter((a) => a.currency === 'KRW').reduce((sum, a) => sum + a.deposit, 0) + 10 * deposits.filter((id) => id !== 'd').length;
          expect(total).toBe(deposited);
        } finally {
          await Promise.all(processes.map((p) => p.stop()));
          await system.close();
        }
      },
    ),
    { numRuns },
  );
};

/** The model-based suite, for any backend: `createSystem` gives a fresh system for each run. */
export const commandSideSuite = (backendName: string, createSystem: () => Promise<System>, numRuns: number): void => {
  describe(`command side against a simple model (${backendName})`, () => {
    it('balances never go negative, each accepted command has its own version, transfers conserve the total', async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
          const real = await createSystem();
          try {
            await fc.asyncModelRun(() => ({ model: new Map(), real }), cmds);
          } finally {
            await real.close();
          }
        }),
        { numRuns },
      );
    });

    it('each transfer step is decided exactly once through crashes, duplicates, reordering and competing processes', async () => {
      await exactlyOnceSteps(createSystem, Math.max(5, Math.round(numRuns / 2)));
    });

    it('50 concurrent withdrawals give exactly the successes the balance allows', async () => {
      const real = await createSystem();
      await real.app.accounts.open({ accountId: 'hot', owner: 'o', currency: 'KRW' });
      await real.app.accounts.deposit('hot', 1_000);
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => real.app.accounts.withdraw('hot', 70)));
      const versions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.version] : []));
      expect(versions.sort((x, y) => x - y)).toEqual(Array.from({ length: 14 }, (_, i) => 3 + i));
      expect((await writeModel(real, 'hot'))!.state).toMatchObject({ balance: 20 });
      await real.close();
    });

    it('two service instances on one backend never double-spend: conflicts are retried, not shown', async () => {
      const first = await createSystem();
      const second = composeTestApplication(first.backend, {
        clock: new SystemClock(),
        ids: new SequentialIds('second'),
        options: { ...testApplicationOptions(), ownerId: 'second' },
      });
      await first.app.accounts.open({ accountId: 'shared', owner: 'o', currency: 'KRW' });
      await first.app.accounts.deposit('shared', 1_000);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? first.app : second).accounts.withdraw('shared', 70)),
      );
      const versions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.version] : []));
      for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as DomainError).code).toBe('ACCOUNT.INSUFFICIENT_FUNDS');
      expect(versions.sort((x, y) => x - y)).toEqual(Array.from({ length: 14 }, (_, i) => 3 + i));
      expect(await first.backend.eventLog.read('account', 'shared', 1)).toHaveLength(16);
      await second.stop();
      await first.close();
    });
  });
};
