/** One load job (see jobs.ts), run in a worker thread; posts its Timings and ends. */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { seededRandom } from '../../tools/seeded-random.js';
import { agent, send } from './send.js';
import { percentile, type FixedRateJob, type Job, type LagJob, type SaturationJob, type Timings } from './jobs.js';
import { openLoop } from './open-loop.js';

const job = workerData as Job;
// This thread only, not the benchmark's process: /proc/thread-self names the thread's own task id.
if (job.cpus) execFileSync('taskset', ['-pc', job.cpus, path.basename(readlinkSync('/proc/thread-self'))], { stdio: 'ignore' });
const random = seededRandom(job.seed);
const accountId = (): string => `${job.prefix}${Math.floor(random() * job.accounts)}`;

const request = (kind: Job['kind']): { method: 'GET' | 'POST'; path: string; body?: string } => {
  switch (kind) {
    case 'hello':
      return { method: 'GET', path: '/hello' };
    case 'query':
      return { method: 'GET', path: `/accounts/${accountId()}` };
    case 'deposit':
      return { method: 'POST', path: `/accounts/${accountId()}/deposits`, body: '{"amount":1}' };
    case 'hot-deposit':
      return { method: 'POST', path: `/accounts/${job.prefix}0/deposits`, body: '{"amount":1}' };
  }
};

const saturation = async (spec: SaturationJob): Promise<Timings> => {
  const options = {
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...request(spec.kind), headers: { 'content-type': 'application/json' } }) }],
  };
  // In a worker thread autocannon hands back its raw histograms; aggregating them is left to us.
  const raw = await autocannon(options);
  const { aggregateResult } = autocannon as unknown as { aggregateResult(results: unknown[], opts: unknown): autocannon.Result };
  const result = aggregateResult([raw], options);
  return {
    perSecond: Math.round(result.requests.total / spec.seconds),
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.non2xx + result.errors + result.timeouts,
  };
};

/** Timings of durations measured by this worker (milliseconds) over `seconds`. */
const summarize = (durations: number[], seconds: number, errors: number): Timings => {
  durations.sort((a, b) => a - b);
  return {
    perSecond: Math.round(durations.length / seconds),
    total: durations.length,
    p50: percentile(durations, 0.5),
    p99: percentile(durations, 0.99),
    max: percentile(durations, 1),
    errors,
  };
};

const fixedRate = async (spec: FixedRateJob): Promise<Timings> => {
  const latencies: number[] = [];
  let errors = 0;
  await openLoop(spec, (scheduled, timed) =>
    send(spec.url, request(spec.kind)).then(
      (answer) => {
        if (!timed) return;
        if (answer.status >= 300) errors++;
        else latencies.push(performance.now() - scheduled);
      },
      () => void (timed && errors++),
    ),
  );
  return summarize(latencies, spec.seconds, errors);
};

const lag = async (spec: LagJob): Promise<Timings> => {
  const lags: number[] = [];
  let errors = 0;
  const end = performance.now() + spec.seconds * 1000;
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      const id = accountId();
      const deposit = await send(spec.url, { method: 'POST', path: `/accounts/${id}/deposits`, body: '{"amount":1}' }).catch(() => undefined);
      const acknowledged = performance.now();
      if (!deposit || deposit.status !== 200) {
        errors++;
        continue;
      }
      const version = Number((JSON.parse(deposit.body) as { version: number }).version);
      const view = await send(spec.queryUrl, { method: 'GET', path: `/accounts/${id}?minVersion=${version}&waitMs=5000` }).catch(() => undefined);
      if (!view || view.status !== 200) {
        errors++;
        continue;
      }
      lags.push(performance.now() - acknowledged);
    }
  };
  await Promise.all(Array.from({ length: spec.clients }, client));
  return summarize(lags, spec.seconds, errors);
};

const run = (spec: Job): Promise<Timings> => (spec.type === 'saturation' ? saturation(spec) : spec.type === 'fixed-rate' ? fixedRate(spec) : lag(spec));

parentPort!.postMessage(await run(job));
agent.destroy();
