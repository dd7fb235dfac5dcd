/**
 * Runs the online banking and end-of-day scenarios on the baseline and on hzcqrs, one deployment
 * at a time: one process each (deposits only, mixed, burst, fixed rate, end-of-day), two processes
 * each (mixed), and hzcqrs on three members (mixed).
 */
import type { Deployment } from '../deployments.js';
import { endOfDay, type EndOfDayResult } from './end-of-day.js';
import { burst, DEPOSITS_ONLY, halfRate, mix, MIXED, prepare, type BurstResult, type HalfRateResult, type MixResult } from './online-banking.js';
import type { BankingDeployments, BankingSettings } from './scenario.js';

export interface SystemRuns {
  depositsOnly?: MixResult;
  mixed?: MixResult;
  twoProcesses?: MixResult;
  threeMembers?: MixResult;
  burst?: BurstResult;
  halfRate?: HalfRateResult;
  endOfDay?: EndOfDayResult;
}

export interface BankingResults {
  readonly baseline: SystemRuns;
  readonly hzcqrs: SystemRuns;
}

const log = (message: string): void => void process.stderr.write(`bench: ${message}\n`);

/** Starts a deployment, runs `work` on it, and stops it whatever happened. */
const on = async (name: string, start: () => Promise<Deployment>, work: (d: Deployment) => Promise<void>): Promise<void> => {
  const startMs = Date.now();
  const d = await start();
  try {
    await work(d);
    log(`${name} done in ${((Date.now() - startMs) / 1000).toFixed(1)} s`);
  } finally {
    await d.stop();
  }
};

export const runBankingScenarios = async (
  deploy: BankingDeployments,
  s: BankingSettings,
  want: { readonly online: boolean; readonly endOfDay: boolean },
): Promise<BankingResults> => {
  const baseline: SystemRuns = {};
  const hzcqrs: SystemRuns = {};
  // The same seeds for both systems: the same sequence of accounts and amounts.
  const seed = s.seed;
  await on('banking: baseline, one process', () => deploy.baseline('banking-baseline-1', 1), async (d) => {
    if (want.online) {
      await prepare(d, 1, s, false);
      baseline.depositsOnly = await mix(d, 1, s, DEPOSITS_ONLY, false, seed + 1);
      baseline.mixed = await mix(d, 1, s, MIXED, false, seed + 2);
      baseline.burst = await burst(d, false, seed + 3);
    }
    if (want.endOfDay) baseline.endOfDay = await endOfDay(d, s, 'endpoint', () => deploy.settle(d));
  });
  await on('banking: hzcqrs, 1 member, one process', () => deploy.hzcqrs('banking-hz1-1', 1, 1), async (d) => {
    const settle = () => deploy.settle(d);
    if (want.online) {
      await prepare(d, 1, s, true);
      await settle();
      hzcqrs.depositsOnly = await mix(d, 1, s, DEPOSITS_ONLY, true, seed + 1);
      await settle();
      hzcqrs.mixed = await mix(d, 1, s, MIXED, true, seed + 2);
      await settle();
      hzcqrs.burst = await burst(d, true, seed + 3);
      await settle();
      hzcqrs.halfRate = await halfRate(d, s, Math.max(1, Math.round(hzcqrs.mixed.commandsPerSecond / 2)), seed + 4);
      await settle();
    }
    if (want.endOfDay) hzcqrs.endOfDay = await endOfDay(d, s, 'deposits', settle);
  });
  if (!want.online) return { baseline, hzcqrs };
  await on('banking: baseline, two processes', () => deploy.baseline('banking-baseline-2', 2), async (d) => {
    await prepare(d, 2, s, false);
    baseline.twoProcesses = await mix(d, 2, s, MIXED, false, seed + 2);
  });
  await on('banking: hzcqrs, 1 member, two processes', () => deploy.hzcqrs('banking-hz1-2', 1, 2), async (d) => {
    await prepare(d, 2, s, true);
    await deploy.settle(d);
    hzcqrs.twoProcesses = await mix(d, 2, s, MIXED, true, seed + 2);
  });
  await on('banking: hzcqrs, 3 members, one process', () => deploy.hzcqrs('banking-hz3-1', 3, 1), async (d) => {
    await prepare(d, 1, s, true);
    await deploy.settle(d);
    hzcqrs.threeMembers = await mix(d, 1, s, MIXED, true, seed + 2);
  });
  return { baseline, hzcqrs };
};
