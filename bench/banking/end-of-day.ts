/**
 * The end-of-day job during online traffic: 1,000 accounts, 12 clients depositing and reading at
 * random, measured alone and while the job pays interest to every account, again and again for the
 * length of the run. The online latencies "with the job" are those of requests sent while a run of
 * the job was under way.
 */
import type { Deployment } from '../deployments.js';
import { runBankingJob, summarize, type Accounts, type Summary } from '../load/banking-jobs.js';
import { median } from '../render.js';
import { openAccounts } from './accounts.js';
import type { BankingSettings } from './scenario.js';

export const EOD_ACCOUNTS: Accounts = { prefix: 'eod-', count: 1_000 };
export const EOD_CLIENTS = 12;
/** hzcqrs pays interest as deposit commands, this many in flight: a job that leaves room for the day's traffic. */
export const EOD_IN_FLIGHT = 8;
const ONLINE = { deposit: 0.5, transfer: 0 } as const;

export interface Online {
  readonly deposit: Summary;
  readonly read: Summary;
  readonly errors: number;
}

export interface EndOfDayResult {
  readonly alone: Online;
  readonly withBatch: Online;
  /** Runs of the job during the measurement, and their durations. */
  readonly runs: number;
  readonly batchMedianMs: number;
  readonly batchMaxMs: number;
  readonly batchErrors: number;
}

export const endOfDay = async (d: Deployment, s: BankingSettings, how: 'endpoint' | 'deposits', settle: () => Promise<void>): Promise<EndOfDayResult> => {
  await openAccounts(d.commandUrl, d.commandUrl, EOD_ACCOUNTS);
  const online = (seconds: number, seed: number) =>
    runBankingJob({ type: 'mix', urls: [d.commandUrl], clients: EOD_CLIENTS, seconds, accounts: EOD_ACCOUNTS, seed, ...ONLINE });
  await online(s.warmSeconds, s.seed + 200);
  await settle();
  const alone = await online(s.seconds, s.seed + 201);
  await settle();
  const [during, batch] = await Promise.all([
    online(s.seconds, s.seed + 202),
    runBankingJob({ type: 'interest', url: d.commandUrl, accounts: EOD_ACCOUNTS, seconds: s.seconds, how, inFlight: EOD_IN_FLIGHT }),
  ]);
  const windows = batch.batches ?? [];
  const durations = windows.map((w) => w.end - w.start);
  return {
    alone: { deposit: summarize(alone.answered.deposit), read: summarize(alone.answered.read), errors: alone.errors },
    withBatch: { deposit: summarize(during.answered.deposit, windows), read: summarize(during.answered.read, windows), errors: during.errors },
    runs: windows.length,
    batchMedianMs: Math.round(median(durations)),
    batchMaxMs: Math.round(Math.max(...durations)),
    batchErrors: batch.errors,
  };
};
