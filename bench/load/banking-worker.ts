/** One banking job (see banking-jobs.ts), run in a worker thread; posts its BankingResult and ends. */
import { parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from '../../tools/seeded-random.js';
import type { Accounts, BankingJob, BankingResult, BurstJob, CommandKind, InterestJob, MixJob, OpenMixJob, Samples } from './banking-jobs.js';
import { agent, send } from './send.js';
import { openLoop } from './open-loop.js';

const job = workerData as BankingJob;
const random = seededRandom(job.type === 'interest' ? 0 : job.seed);
/** Wall-clock milliseconds with the monotonic clock's resolution, comparable across workers. */
const epoch = (): number => performance.timeOrigin + performance.now();
/** Polls waiting for their next turn; a timer, not a synchronisation: the poll interval is the method. */
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A transfer that has not ended 30 s after its answer is counted as unended and no longer polled. */
const DEADLINE_MS = 30_000;
/** Polls in flight at once: polling a burst of pending transfers must not become the load itself. */
const POLLS_IN_FLIGHT = 4;
/**
 * A transfer pending for long is polled less often, every tenth of the time it has waited up to
 * this: the resolution stays within 10 %, and a backlog of slow transfers is not polled flat out
 * (the polls would take CPU from the server being measured).
 */
const SLOWEST_POLL_MS = 50;

const answered: Partial<Record<CommandKind, Samples>> = {};
const ended: Samples = { at: [], ms: [] };
let completed = 0;
let failed = 0;
let unended = 0;
let errors = 0;
let polls = 0;

const record = (into: Samples, at: number, ms: number): void => {
  into.at.push(at);
  into.ms.push(ms);
};
const recordAnswer = (kind: CommandKind, at: number, ms: number): void => record((answered[kind] ??= { at: [], ms: [] }), at, ms);

const account = (accounts: Accounts, index: number): string => `${accounts.prefix}${index}`;
const anyAccount = (accounts: Accounts): string => account(accounts, Math.floor(random() * accounts.count));
/** Two distinct accounts. */
const pair = (accounts: Accounts): [string, string] => {
  const from = Math.floor(random() * accounts.count);
  const to = (from + 1 + Math.floor(random() * (accounts.count - 1))) % accounts.count;
  return [account(accounts, from), account(accounts, to)];
};

let polling = 0;
const waiting: (() => void)[] = [];
/** Runs `poll` once fewer than POLLS_IN_FLIGHT polls are in flight; a finished poll hands its slot on. */
const pollSlot = async <T>(poll: () => Promise<T>): Promise<T> => {
  if (polling >= POLLS_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  else polling++;
  try {
    return await poll();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else polling--;
  }
};

/** Follows an accepted transfer until it has ended; records the time from its answer. */
const follow = async (url: string, transferId: string, answeredAt: number, pollMs: number, timed: boolean): Promise<void> => {
  for (;;) {
    polls++;
    const view = await pollSlot(() => send(url, { method: 'GET', path: `/transfers/${transferId}` })).catch(() => undefined);
    const now = performance.now();
    // 404 for a moment after the 202 is allowed: the transfer's view may lag its acceptance.
    const status = view?.status === 200 ? (JSON.parse(view.body) as { status: string }).status : 'pending';
    if (status !== 'pending') {
      if (!timed) return;
      if (status === 'completed') completed++;
      else failed++;
      record(ended, performance.timeOrigin + answeredAt, now - answeredAt);
      return;
    }
    if (now - answeredAt > DEADLINE_MS) {
      if (timed) unended++;
      return;
    }
    await pause(Math.max(pollMs, Math.min(SLOWEST_POLL_MS, (now - answeredAt) / 10)));
  }
};

/**
 * Sends one transfer; resolves once it has ended (answered synchronously, or followed), and calls
 * `onAnswer` as soon as it is answered. The answer latency is taken from `from` (when it was sent,
 * or due), the end from its answer.
 */
const transfer = async (url: string, accounts: Accounts, pollMs: number | undefined, from: number, timed: boolean, onAnswer?: () => void): Promise<void> => {
  const [source, target] = pair(accounts);
  const amount = 1 + Math.floor(random() * 10);
  const answer = await send(url, { method: 'POST', path: '/transfers', body: JSON.stringify({ from: source, to: target, amount }) }).catch(() => undefined);
  const answeredAt = performance.now();
  onAnswer?.();
  if (!answer || (answer.status >= 300 && answer.status !== 422)) {
    if (timed) errors++;
    return;
  }
  if (timed) recordAnswer('transfer', performance.timeOrigin + from, answeredAt - from);
  if (answer.status === 422) {
    if (timed) failed++;
    return;
  }
  const body = JSON.parse(answer.body) as { transferId: string; status?: string };
  if (pollMs === undefined || answer.status !== 202) {
    if (!timed) return;
    if (body.status === 'failed') failed++;
    else completed++;
    return;
  }
  await follow(url, body.transferId, answeredAt, pollMs, timed);
};

const mix = async (spec: MixJob): Promise<void> => {
  const startMs = performance.now();
  const end = startMs + spec.seconds * 1000;
  const following = new Set<Promise<void>>();
  const client = async (index: number): Promise<void> => {
    const url = spec.urls[index % spec.urls.length]!;
    while (performance.now() < end) {
      const draw = random();
      const sentAt = performance.now();
      if (draw < spec.deposit) {
        await deposit(url, spec.accounts, sentAt, true);
      } else if (draw < spec.deposit + spec.transfer) {
        // The client goes on once the transfer is answered; a poller of its own follows it meanwhile.
        let answeredSignal!: () => void;
        const answeredOnce = new Promise<void>((resolve) => (answeredSignal = resolve));
        const run = transfer(url, spec.accounts, spec.pollMs, sentAt, true, answeredSignal);
        following.add(run);
        void run.finally(() => following.delete(run));
        await answeredOnce;
      } else {
        const answer = await send(url, { method: 'GET', path: `/accounts/${anyAccount(spec.accounts)}` }).catch(() => undefined);
        if (answer && answer.status === 200) recordAnswer('read', performance.timeOrigin + sentAt, performance.now() - sentAt);
        else errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.clients }, (_, i) => client(i)));
  await Promise.all(following);
};

const burst = async (spec: BurstJob): Promise<number> => {
  const startMs = performance.now();
  await Promise.all(Array.from({ length: spec.transfers }, () => transfer(spec.url, spec.accounts, spec.pollMs, startMs, true)));
  return performance.now() - startMs;
};

/** A deposit timed from `from` (when it was sent, or due). */
const deposit = async (url: string, accounts: Accounts, from: number, timed: boolean): Promise<void> => {
  const answer = await send(url, { method: 'POST', path: `/accounts/${anyAccount(accounts)}/deposits`, body: '{"amount":1}' }).catch(() => undefined);
  if (!timed) return;
  if (answer && answer.status < 300) recordAnswer('deposit', performance.timeOrigin + from, performance.now() - from);
  else errors++;
};

const openMix = (spec: OpenMixJob): Promise<void> =>
  openLoop(spec, (scheduled, timed) =>
    random() < spec.deposit ? deposit(spec.url, spec.accounts, scheduled, timed) : transfer(spec.url, spec.accounts, spec.pollMs, scheduled, timed),
  );

const interest = async (spec: InterestJob): Promise<{ start: number; end: number }[]> => {
  const batches: { start: number; end: number }[] = [];
  const until = performance.now() + spec.seconds * 1000;
  do {
    const start = epoch();
    if (spec.how === 'endpoint') {
      const answer = await send(spec.url, { method: 'POST', path: '/batch/interest', body: JSON.stringify({ prefix: spec.accounts.prefix, amount: 1 }) }).catch(() => undefined);
      if (!answer || answer.status !== 200) errors++;
    } else {
      let next = 0;
      const payer = async (): Promise<void> => {
        while (next < spec.accounts.count) {
          const id = account(spec.accounts, next++);
          const answer = await send(spec.url, { method: 'POST', path: `/accounts/${id}/deposits`, body: '{"amount":1}' }).catch(() => undefined);
          if (!answer || answer.status !== 200) errors++;
        }
      };
      await Promise.all(Array.from({ length: spec.inFlight }, payer));
    }
    batches.push({ start, end: epoch() });
  } while (performance.now() < until);
  return batches;
};

const startMs = performance.now();
let allEndedMs: number | undefined;
let batches: { start: number; end: number }[] | undefined;
switch (job.type) {
  case 'mix':
    await mix(job);
    break;
  case 'burst':
    allEndedMs = await burst(job);
    break;
  case 'open-mix':
    await openMix(job);
    break;
  case 'interest':
    batches = await interest(job);
    break;
  default: {
    const never: never = job;
    throw new Error(`unknown job ${JSON.stringify(never)}`);
  }
}
const seconds = job.type === 'mix' || job.type === 'open-mix' ? job.seconds : (performance.now() - startMs) / 1000;
const result: BankingResult = {
  seconds,
  answered,
  ended,
  completed,
  failed,
  unended,
  errors,
  polls,
  ...(allEndedMs !== undefined ? { allEndedMs } : {}),
  ...(batches ? { batches } : {}),
};
parentPort!.postMessage(result);
agent.destroy();
