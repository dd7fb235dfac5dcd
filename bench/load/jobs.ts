/**
 * The load the benchmark generates. Every job runs in a worker thread of its own, so that one
 * load (writes saturating the server) never delays the timing of another (reads being measured)
 * in the benchmark's own event loop.
 */
import { Worker } from 'node:worker_threads';

/** Which request a job sends: a query, a deposit over the accounts, a deposit on one hot account, the hello route. */
export type RequestKind = 'query' | 'deposit' | 'hot-deposit' | 'hello';

interface Common {
  readonly url: string;
  readonly seconds: number;
  readonly kind: RequestKind;
  /** Accounts `<prefix>0` .. `<prefix><accounts - 1>`, chosen uniformly. */
  readonly prefix: string;
  readonly accounts: number;
  readonly seed: number;
  /** CPUs the job's thread is pinned to (a taskset list such as "1"); unpinned when absent. */
  readonly cpus?: string;
}

/** As many requests as `connections` clients can send, each waiting for its answer (autocannon). */
export interface SaturationJob extends Common {
  readonly type: 'saturation';
  readonly connections: number;
}

/**
 * Requests sent at a fixed rate on a schedule that does not wait for answers (an open loop), each
 * timed from the moment the schedule meant to send it: a slow answer cannot hide the requests
 * that queue behind it.
 */
export interface FixedRateJob extends Common {
  readonly type: 'fixed-rate';
  readonly perSecond: number;
  /** Sent at the same rate before `seconds` and not timed: connections opened, code compiled. */
  readonly warmSeconds?: number;
}

/**
 * Propagation lag: `clients` clients each deposit on `url`, then ask `queryUrl` for the account at
 * the acknowledged version (minVersion), again and again; the lag is the time from the deposit's
 * answer to the view's.
 */
export interface LagJob extends Common {
  readonly type: 'lag';
  readonly queryUrl: string;
  readonly clients: number;
}

export type Job = SaturationJob | FixedRateJob | LagJob;

export interface Timings {
  /** Answers per second over the job. */
  readonly perSecond: number;
  readonly total: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Answers other than 2xx, connection errors and timeouts. */
  readonly errors: number;
}

/** Runs `job` in its own worker thread. */
export const runJob = (job: Job): Promise<Timings> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
    let result: Timings | undefined;
    worker.once('message', (message: Timings) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`load worker ${job.type}/${job.kind} exited with ${code}`))));
  });

/** The percentile `q` (0..1) of sorted values, in milliseconds rounded to 0.01. */
export const percentile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 100) / 100;
