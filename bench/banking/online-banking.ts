/**
 * Online banking, closed loop: 12 clients over 12 funded accounts, deposits only or two thirds
 * deposits and one third transfers; a burst of 120 transfers among 8 accounts; the mixed load at
 * a fixed rate of half the closed loop's. hzcqrs answers a transfer 202 and carries it out afterwards, so each of its
 * transfers is followed (GET /transfers/{id}) until it has ended; the baseline's has ended when
 * it is answered.
 */
import type { Deployment } from '../deployments.js';
import { runBankingJob, summarize, type Accounts, type BankingResult, type Summary } from '../load/banking-jobs.js';
import { openAccounts } from './accounts.js';
import { urlsOf, type BankingSettings } from './scenario.js';

export const CLIENTS = 12;
export const ACCOUNTS: Accounts = { prefix: 'bank-', count: 12 };
export const BURST = { transfers: 120, accounts: { prefix: 'bank-', count: 8 } } as const;
/** Enough that transfers of 1..10 never run an account dry: a refusal would be a cheaper path. */
export const FUNDS = 1_000_000_000;
/** How often an accepted transfer is polled until it has ended: the resolution of "202 -> ended". */
export const POLL_MS = 3;
export const DEPOSITS_ONLY = { deposit: 1, transfer: 0 } as const;
export const MIXED = { deposit: 2 / 3, transfer: 1 / 3 } as const;

export interface MixResult {
  readonly commandsPerSecond: number;
  readonly deposit: Summary;
  readonly transfer: Summary;
  /** Time from a transfer's answer until it had ended (hzcqrs only). */
  readonly ended?: Summary;
  readonly completed: number;
  readonly failed: number;
  readonly unended: number;
  readonly errors: number;
  /** Status polls per second of the run, the load that following the transfers added. */
  readonly pollsPerSecond: number;
}

export interface BurstResult {
  readonly allEndedMs: number;
  readonly completed: number;
  readonly failed: number;
  readonly unended: number;
  readonly errors: number;
  /** Status polls per second of the run, the load that following the transfers added. */
  readonly pollsPerSecond: number;
}

export interface HalfRateResult {
  /** Commands sent per second, deposits and transfers in the mixed shares. */
  readonly perSecond: number;
  readonly deposit: Summary;
  readonly transfer: Summary;
  readonly ended: Summary;
  readonly completed: number;
  readonly failed: number;
  readonly unended: number;
  readonly errors: number;
  /** Status polls per second of the run, the load that following the transfers added. */
  readonly pollsPerSecond: number;
}

const outcomes = (r: BankingResult) => ({
  completed: r.completed,
  failed: r.failed,
  unended: r.unended,
  errors: r.errors,
  pollsPerSecond: Math.round(r.polls / r.seconds),
});

const mixResult = (r: BankingResult, followed: boolean): MixResult => ({
  commandsPerSecond: Math.round(((r.answered.deposit?.ms.length ?? 0) + (r.answered.transfer?.ms.length ?? 0)) / r.seconds),
  deposit: summarize(r.answered.deposit),
  transfer: summarize(r.answered.transfer),
  ...(followed ? { ended: summarize(r.ended) } : {}),
  ...outcomes(r),
});

/** Opens and funds the accounts and warms the fresh servers up with the mixed load, untimed. */
export const prepare = async (d: Deployment, processes: 1 | 2, s: BankingSettings, followed: boolean): Promise<void> => {
  await openAccounts(d.commandUrl, d.queryUrl, ACCOUNTS, FUNDS);
  await runBankingJob({ type: 'mix', urls: urlsOf(d, processes), clients: CLIENTS, seconds: s.warmSeconds, accounts: ACCOUNTS, seed: s.seed + 100, ...MIXED, ...(followed ? { pollMs: POLL_MS } : {}) });
};

/** One closed-loop run of `shares` with the clients split over the deployment's processes. */
export const mix = async (d: Deployment, processes: 1 | 2, s: BankingSettings, shares: { deposit: number; transfer: number }, followed: boolean, seed: number): Promise<MixResult> => {
  const r = await runBankingJob({ type: 'mix', urls: urlsOf(d, processes), clients: CLIENTS, seconds: s.seconds, accounts: ACCOUNTS, seed, ...shares, ...(followed ? { pollMs: POLL_MS } : {}) });
  return mixResult(r, followed);
};

export const burst = async (d: Deployment, followed: boolean, seed: number): Promise<BurstResult> => {
  const r = await runBankingJob({ type: 'burst', url: d.commandUrl, transfers: BURST.transfers, accounts: BURST.accounts, seed, ...(followed ? { pollMs: POLL_MS } : {}) });
  return { allEndedMs: Math.round(r.allEndedMs ?? 0), ...outcomes(r) };
};

/** The mixed load at a fixed `perSecond` (half the closed loop's rate), each transfer followed until it ends. */
export const halfRate = async (d: Deployment, s: BankingSettings, perSecond: number, seed: number): Promise<HalfRateResult> => {
  const r = await runBankingJob({
    type: 'open-mix',
    url: d.commandUrl,
    perSecond,
    seconds: s.seconds,
    warmSeconds: s.full ? 1 : 0.5,
    deposit: MIXED.deposit,
    accounts: ACCOUNTS,
    seed,
    pollMs: POLL_MS,
  });
  return { perSecond, deposit: summarize(r.answered.deposit), transfer: summarize(r.answered.transfer), ended: summarize(r.ended), ...outcomes(r) };
};
