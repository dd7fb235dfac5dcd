/**
 * The banking scenarios' load: clients that send deposits, transfers and reads in a closed loop,
 * bursts and fixed-rate streams of transfers followed until they end, and the end-of-day job.
 * Each runs in a worker thread of its own, as the other loads do (jobs.ts).
 */
import { Worker } from 'node:worker_threads';
import { percentile } from './jobs.js';

export type CommandKind = 'deposit' | 'transfer' | 'read';

/** Accounts `<prefix>0` .. `<prefix><count - 1>`. */
export interface Accounts {
  readonly prefix: string;
  readonly count: number;
}

interface Common {
  readonly accounts: Accounts;
  readonly seed: number;
  /**
   * Transfers are answered 202 and carried out afterwards: poll GET /transfers/{id} every this
   * many milliseconds (less often once it has waited long) until it has ended. Absent: a transfer
   * has ended when it is answered.
   */
  readonly pollMs?: number;
}

/** `clients` clients, client i on urls[i % urls.length], each sending its next request once answered. */
export interface MixJob extends Common {
  readonly type: 'mix';
  readonly urls: readonly string[];
  readonly clients: number;
  readonly seconds: number;
  /** Shares of deposit and transfer; the rest are reads. */
  readonly deposit: number;
  readonly transfer: number;
}

/** `transfers` transfers sent all at once among the accounts; the time until every one has ended. */
export interface BurstJob extends Common {
  readonly type: 'burst';
  readonly url: string;
  readonly transfers: number;
}

/**
 * Deposits and transfers (a `deposit` share of deposits) at a fixed rate that does not wait for
 * answers (an open loop), each timed from when it was due; each transfer followed until it ends.
 */
export interface OpenMixJob extends Common {
  readonly type: 'open-mix';
  readonly url: string;
  readonly perSecond: number;
  readonly seconds: number;
  /** Sent at the same rate before `seconds` and not timed. */
  readonly warmSeconds: number;
  readonly deposit: number;
}

/**
 * The end-of-day job, run again and again until `seconds` have passed (at least once): `endpoint`
 * posts the baseline's one-transaction batch; `deposits` pays each account by a deposit command,
 * `inFlight` at a time, as hzcqrs runs such a job.
 */
export interface InterestJob {
  readonly type: 'interest';
  readonly url: string;
  readonly accounts: Accounts;
  readonly seconds: number;
  readonly how: 'endpoint' | 'deposits';
  readonly inFlight: number;
}

export type BankingJob = MixJob | BurstJob | OpenMixJob | InterestJob;

/** Durations in ms, each with the wall-clock moment (epoch ms) its request was sent. */
export interface Samples {
  readonly at: number[];
  readonly ms: number[];
}

export interface BankingResult {
  readonly seconds: number;
  /** Answer latencies of the commands answered 2xx or refused by a business rule (422). */
  readonly answered: Partial<Record<CommandKind, Samples>>;
  /** Time from a transfer's answer until GET /transfers/{id} said it had ended. */
  readonly ended: Samples;
  readonly completed: number;
  readonly failed: number;
  /** Transfers still pending when the 30 s deadline ran out. */
  readonly unended: number;
  /** Answers other than 2xx and 422, connection errors and timeouts. */
  readonly errors: number;
  /** GET /transfers/{id} sent to follow transfers (timed and untimed). */
  readonly polls: number;
  /** Burst: from the first send until the last transfer had ended. */
  readonly allEndedMs?: number;
  /** Interest: each run of the job, epoch ms. */
  readonly batches?: readonly { readonly start: number; readonly end: number }[];
}

/** Runs `job` in its own worker thread. */
export const runBankingJob = (job: BankingJob): Promise<BankingResult> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./banking-worker.js', import.meta.url), { workerData: job });
    let result: BankingResult | undefined;
    worker.once('message', (message: BankingResult) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`banking worker ${job.type} exited with ${code}`))));
  });

export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** p50/p99/max of the samples sent within `windows` (all of them when absent). */
export const summarize = (samples: Samples | undefined, windows?: readonly { readonly start: number; readonly end: number }[]): Summary => {
  const kept = (samples?.ms ?? []).filter((_, i) => !windows || windows.some((w) => samples!.at[i]! >= w.start && samples!.at[i]! <= w.end));
  kept.sort((a, b) => a - b);
  return { count: kept.length, p50: percentile(kept, 0.5), p99: percentile(kept, 0.99), max: percentile(kept, 1) };
};
