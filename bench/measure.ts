/**
 * One trial of one system: the query ceiling, queries at a fixed rate idle and under write
 * saturation, the commands' throughput and CPU, a hot account, and the lag from an answered
 * command to its view. Each measurement starts once the projections have caught up.
 */
import { measureCpu, postgresPids, type Deployment } from './deployments.js';
import { runJob, type Timings } from './load/jobs.js';
import type { Trial } from './render.js';
import { PREFIX, SETTINGS } from './settings.js';
import { loadCpus, type SystemSpec } from './systems.js';

/**
 * Waits until the projecting process reports no projection lag, so that one measurement does not
 * pay for the catching up of the writes before it (a server without /metrics has none to wait for).
 */
export const settle = async (d: Deployment): Promise<void> => {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${d.commandUrl}/metrics`).catch(() => undefined);
    if (!response || response.status === 404) return;
    const text = await response.text();
    const lag = text
      .split('\n')
      .filter((line) => line.startsWith('hzcqrs_projection_lag_events{'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    if (lag === 0) return;
    if (Date.now() > deadline) throw new Error(`the projections were still ${lag} events behind after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export const measure = async (system: SystemSpec, d: Deployment, trial: number): Promise<Trial> => {
  const seed = SETTINGS.seed + trial;
  const common = { seconds: SETTINGS.seconds, prefix: PREFIX, accounts: SETTINGS.accounts, seed };
  // Where the query side has a CPU of its own, so has its load; the write load runs with the rest.
  const { onQuerySide, onRest } = loadCpus(d);
  if (!system.ceiling) {
    const warm = { ...common, seconds: SETTINGS.trialWarmSeconds, connections: 8 };
    await Promise.all([
      runJob({ ...warm, type: 'saturation', url: d.queryUrl, kind: 'query', ...onQuerySide }),
      runJob({ ...warm, type: 'saturation', url: d.commandUrl, kind: 'deposit', ...onRest }),
    ]);
  }
  await settle(d);
  const querySaturation = await measureCpu({ server: () => d.servers.slice(-1), members: () => d.members }, () =>
    runJob({ ...common, type: 'saturation', url: d.queryUrl, kind: system.ceiling ? 'hello' : 'query', connections: SETTINGS.connections, ...onQuerySide }),
  );
  const queries = { timings: querySaturation.result, cpuMsPerQuery: perRequest(querySaturation.cpu, querySaturation.result) };
  if (system.ceiling) return { queries };

  const fixedQueries = { ...common, type: 'fixed-rate' as const, url: d.queryUrl, kind: 'query' as const, perSecond: SETTINGS.queryRate, warmSeconds: SETTINGS.fixedWarmSeconds, ...onQuerySide };
  await settle(d);
  const idle = await runJob(fixedQueries);
  await settle(d);
  const [loaded, writesDuringLoaded] = await Promise.all([
    runJob({ ...fixedQueries, seed: seed + 1 }),
    runJob({ ...common, type: 'saturation', url: d.commandUrl, kind: 'deposit', connections: SETTINGS.connections, ...onRest }),
  ]);
  await settle(d);
  const uniform = await measureCpu({ servers: () => d.servers, members: () => d.members, postgres: postgresPids }, () =>
    runJob({ ...common, type: 'saturation', url: d.commandUrl, kind: 'deposit', connections: SETTINGS.connections, ...onRest }),
  );
  await settle(d);
  const hot = await runJob({ ...common, type: 'saturation', url: d.commandUrl, kind: 'hot-deposit', connections: SETTINGS.connections, ...onRest });
  let lag: { timings: Timings; writeRate: number } | undefined;
  if (!system.noLag) {
    await settle(d);
    const writeRate = Math.max(1, Math.round(uniform.result.perSecond / 2));
    const [timings] = await Promise.all([
      runJob({ ...common, type: 'lag', url: d.commandUrl, queryUrl: d.queryUrl, kind: 'deposit', clients: SETTINGS.lagClients, ...onQuerySide }),
      runJob({ ...common, seed: seed + 2, type: 'fixed-rate', url: d.commandUrl, kind: 'deposit', perSecond: writeRate, seconds: SETTINGS.seconds + 1, ...onRest }),
    ]);
    lag = { timings, writeRate };
  }
  return {
    queries,
    idle,
    loaded,
    writesDuringLoaded,
    commands: { timings: uniform.result, cpuMsPerCommand: perRequest(uniform.cpu, uniform.result) },
    hot,
    ...(lag ? { lag } : {}),
  };
};

const perRequest = (cpu: Record<string, number>, timings: Timings): Record<string, number> =>
  Object.fromEntries(Object.entries(cpu).map(([name, ms]) => [name, Math.round((ms / Math.max(1, timings.total)) * 1000) / 1000]));
