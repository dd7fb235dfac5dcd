/**
 * npm run bench               quick mode, about two minutes: one trial, 1 s per measurement
 * npm run bench -- --full     full mode: 3 trials, 6 s per measurement
 * npm run bench -- --only=hello,hz1,baseline-share   a subset (keys below); the main section is not written
 * npm run bench -- --only=banking,batch                the online banking and end-of-day scenarios alone
 * BENCH_SEED=7 npm run bench                            the seed of every random choice (printed)
 * npm run bench -- --instance=b --base-port=6951       beside another run: own clusters, ports, databases
 *
 * The claim hzcqrs exists for, measured side by side in one run on this machine: with the read and
 * write models separated, queries stay fast while writes are heavy, where one shared relational
 * model with SELECT ... FOR UPDATE makes them wait. Systems: the Fastify hello-world ceiling, the
 * single-model baseline (bench/baseline) with plain and with FOR SHARE reads, hzcqrs on one
 * Hazelcast member (Near Cache on and off, and in one process), on three members, and on the
 * memory backend. Trials are interleaved, each starting its servers afresh; medians with min–max.
 * Writes docs/benchmarks.md and docs/benchmark-ratio.svg.
 *
 * Then the banking scenarios (bench/banking), the baseline against hzcqrs on one member: online
 * banking (key `banking`: deposits only, deposits with transfers on one and on two processes and
 * on three members, a burst of transfers, transfers at half rate followed until they end) and the
 * end-of-day job during online traffic (key `batch`). 3 s per run in quick mode (about two more
 * minutes), 10 s in full mode, or --banking-seconds=N. Each writes its own section of the page.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { Client } from 'hazelcast-client';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureCpu, pinProcesses, postgresPids, ROOT, startServer, type Deployment, type Server } from './deployments.js';
import { runJob, type Timings } from './load/jobs.js';
import { writeSection } from './report.js';
import { renderEndOfDay, renderOnline } from './banking/render.js';
import { runBankingScenarios, type BankingResults } from './banking/run-scenarios.js';
import { chart, render, type SystemResult, type Trial } from './render.js';

const clusterApi = (await import(pathToFileURL(path.join(ROOT, 'scripts/cluster.mjs')).href)) as typeof import('../scripts/cluster.mjs');
const db = (await import(pathToFileURL(path.join(ROOT, 'scripts/db.mjs')).href)) as typeof import('../scripts/db.mjs');

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const full = process.argv.includes('--full');
const only = arg('only')?.split(',');

const SETTINGS = {
  full,
  trials: Number(arg('trials') ?? (full ? 3 : 1)),
  seconds: Number(arg('seconds') ?? (full ? 6 : 1)),
  /** Load on a cluster after its start, before its first trial. */
  warmSeconds: full ? 40 : 5,
  /** Load on a trial's fresh servers before they are measured. */
  trialWarmSeconds: full ? 5 : 0.5,
  /** Each fixed-rate run first sends at its rate untimed for this long. */
  fixedWarmSeconds: full ? 1 : 0.5,
  accounts: full ? 1_000 : 200,
  connections: 32,
  /** The fixed rate of the measured queries, idle and under write saturation. */
  queryRate: Number(arg('query-rate') ?? 500),
  lagClients: 4,
  seed: Number(process.env['BENCH_SEED'] ?? 7),
};
const PREFIX = 'acct-';
/**
 * A run beside another checkout's (--instance=name --base-port=N) keeps clusters, member ports and
 * databases of its own: a run truncates its databases and stops its clusters' earlier members.
 */
const INSTANCE = (() => {
  const name = arg('instance');
  if (name !== undefined && !/^[a-z0-9]{1,16}$/.test(name)) throw new Error(`--instance=${name}: 1..16 of a-z 0-9`);
  return { suffix: (separator: string) => (name ? `${separator}${name}` : ''), basePort: Number(arg('base-port') ?? 5951) };
})();
/** The online banking and end-of-day scenarios: one run per system, longer runs than the above. */
const BANKING = {
  full,
  seconds: Number(arg('banking-seconds') ?? (full ? 10 : 3)),
  warmSeconds: full ? 3 : 1,
  seed: SETTINGS.seed,
};

interface SystemSpec {
  readonly key: string;
  readonly name: string;
  /** Only the query throughput is measured (the hello-world ceiling). */
  readonly ceiling?: boolean;
  /** The read model is the written row: there is no propagation to measure. */
  readonly noLag?: boolean;
  start(trial: number): Promise<Deployment>;
}

const stopAll = async (servers: readonly Server[]): Promise<void> => {
  for (const server of [...servers].reverse()) await server.stop();
};

/**
 * Servers as one deployment. `pinned`: PostgreSQL and the members run on the rest CPUs until it
 * stops (the servers were started on theirs). `cleanup` runs once its servers have stopped.
 */
const deployment = (
  servers: readonly Server[],
  members: () => readonly number[],
  options: { readonly pinned?: boolean; readonly cleanup?: () => Promise<void> } = {},
): Deployment => {
  const unpin = options.pinned ? pinShared(members) : undefined;
  return {
    commandUrl: servers[0]!.url,
    queryUrl: servers[servers.length - 1]!.url,
    servers: servers.map((s) => s.pid),
    get members() {
      return members();
    },
    ...(unpin ? { cpus: SPLIT_CPUS! } : {}),
    stop: async () => {
      unpin?.();
      await stopAll(servers);
      await options.cleanup?.();
    },
  };
};

/** Where a deployment's load runs: the query load with the query server, the write load with the rest. */
const loadCpus = (d: Deployment): { readonly onQuerySide: { cpus?: string }; readonly onRest: { cpus?: string } } =>
  d.cpus ? { onQuerySide: { cpus: d.cpus.query }, onRest: { cpus: d.cpus.rest } } : { onQuerySide: {}, onRest: {} };

/**
 * The query side on a CPU of its own: the last CPU for the query server and the query load, the
 * others for everything else. The machine's other processes are given all CPUs back afterwards.
 */
const CPU_COUNT = os.cpus().length;
const ALL_CPUS = `0-${CPU_COUNT - 1}`;
const SPLIT_CPUS = CPU_COUNT >= 2 ? { query: String(CPU_COUNT - 1), rest: CPU_COUNT > 2 ? `0-${CPU_COUNT - 2}` : '0' } : undefined;

/** Pins PostgreSQL and `members` to the rest CPUs; the returned function gives them all CPUs again. */
const pinShared = (members: () => readonly number[]): (() => void) => {
  const cpus = SPLIT_CPUS!;
  const shared = (): number[] => [...postgresPids(), ...members()];
  if (!pinProcesses(shared(), cpus.rest)) throw new Error('could not pin PostgreSQL and the members (taskset)');
  return () => void pinProcesses(shared(), ALL_CPUS);
};

const post = async (url: string, body: unknown): Promise<number> => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
};

/** Opens the accounts through the command URL and waits until the query URL shows each of them. */
const openAccounts = async (d: Deployment, waitForViews: boolean): Promise<void> => {
  for (let i = 0; i < SETTINGS.accounts; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, SETTINGS.accounts - i) }, async (_, j) => {
        const accountId = `${PREFIX}${i + j}`;
        const status = await post(`${d.commandUrl}/accounts`, { owner: 'bench', accountId });
        if (status !== 201) throw new Error(`opening ${accountId} answered ${status}`);
        if (!waitForViews) return;
        const view = await fetch(`${d.queryUrl}/accounts/${accountId}?minVersion=1&waitMs=5000`);
        await view.arrayBuffer();
        if (view.status !== 200) throw new Error(`the view of ${accountId} answered ${view.status}`);
      }),
    );
  }
};

const hzcqrsEnv = (cluster: { addresses: readonly string[] }, clusterName: string, namespace: string, extra: Record<string, string> = {}) => ({
  BACKEND: 'hazelcast',
  HAZELCAST_MEMBERS: cluster.addresses.join(','),
  HAZELCAST_CLUSTER_NAME: clusterName,
  HAZELCAST_NAMESPACE: namespace,
  ...extra,
});

const main = async (): Promise<void> => {
  const startedMs = Date.now();
  const run = Date.now().toString(36);
  const pgBaseline = { ...db.pgSettings(), database: `hzcqrs_baseline${INSTANCE.suffix('_')}` };
  const pgMembers = { ...db.pgSettings(), database: `hzcqrs_bench${INSTANCE.suffix('_')}` };
  await db.migrate(pgBaseline);
  await db.migrate(pgMembers);
  // Earlier runs' rows are of no use: the members' write-through starts on empty tables.
  await db.query(pgMembers, 'truncate events, idempotency_records');

  const wanted = (key: string): boolean => !only || only.includes(key);
  const clusters = new Map<number, Awaited<ReturnType<typeof clusterApi.startCluster>>>();
  const clusterFor = async (members: 1 | 3): Promise<{ addresses: readonly string[]; name: string; pids: () => number[] }> => {
    const name = `hzcqrs-bench${INSTANCE.suffix('-')}-${members}`;
    let cluster = clusters.get(members);
    if (!cluster) {
      const stateDir = `.hazelcast/bench${INSTANCE.suffix('-')}-${members}`;
      await clusterApi.stopCluster(stateDir);
      process.stderr.write(`bench: starting ${members} member(s)\n`);
      const startMs = Date.now();
      cluster = await clusterApi.startCluster({ members, basePort: members === 1 ? INSTANCE.basePort : INSTANCE.basePort + 10, clusterName: name, stateDir, persistence: { settings: pgMembers } });
      process.stderr.write(`bench: ${members} member(s) started in ${((Date.now() - startMs) / 1000).toFixed(1)} s\n`);
      clusters.set(members, cluster);
    }
    const started = cluster;
    return { addresses: started.addresses, name, pids: () => started.members.map((m) => m.pid) };
  };

  /**
   * Drops a finished trial's maps and ringbuffers from its cluster. A namespace holds every event
   * of its trial in member memory (the log is never evicted): a dozen of them filled a 1 GB heap,
   * and the later trials measured the garbage collector.
   */
  const admins = new Map<string, Promise<Client>>();
  const dropNamespace = async (cluster: { addresses: readonly string[]; name: string }, namespace: string): Promise<void> => {
    let admin = admins.get(cluster.name);
    if (!admin) {
      admin = Client.newHazelcastClient({
        clusterName: cluster.name,
        network: { clusterMembers: [...cluster.addresses] },
        properties: { 'hazelcast.logging.level': 'WARN' },
      });
      admins.set(cluster.name, admin);
    }
    const client = await admin;
    for (const object of await client.getDistributedObjects()) {
      if (object.getName().includes(namespace)) await object.destroy();
    }
  };

  /**
   * The members' JIT compiles for tens of seconds after a start: a cluster's first trial warms it up
   * with its own servers, on top of the per-trial warm-up, before anything is measured.
   */
  const warmed = new Set<number>();
  const warmUp = async (members: 1 | 3, d: Deployment): Promise<void> => {
    if (warmed.has(members)) return;
    warmed.add(members);
    process.stderr.write(`bench: warming ${members} member(s) up for ${SETTINGS.warmSeconds} s\n`);
    const job = { seconds: SETTINGS.warmSeconds, prefix: PREFIX, accounts: SETTINGS.accounts, seed: SETTINGS.seed };
    const { onQuerySide, onRest } = loadCpus(d);
    await Promise.all([
      runJob({ ...job, type: 'saturation', url: d.commandUrl, kind: 'deposit', connections: 16, ...onRest }),
      runJob({ ...job, type: 'saturation', url: d.queryUrl, kind: 'query', connections: 8, ...onQuerySide }),
    ]);
  };

  /**
   * hzcqrs on `members` in a fresh namespace: a command process that projects and, with `split`,
   * a query process with PROJECTIONS=off; the benchmark's accounts opened, the cluster warmed up.
   */
  const startHzcqrs = async (key: string, trial: number, members: 1 | 3, split: boolean, extra: Record<string, string> = {}, pinned = false): Promise<Deployment> => {
    const cluster = await clusterFor(members);
    const namespace = `hzcqrs-b${run}-${key}-${trial}`;
    // The two processes start side by side; one that failed to start stops the other.
    const started = await Promise.allSettled([
      startServer(`${key} commands`, 'dist/src/main.js', hzcqrsEnv(cluster, cluster.name, namespace, extra), '/ready', pinned ? SPLIT_CPUS!.rest : undefined),
      ...(split
        ? [startServer(`${key} queries`, 'dist/src/main.js', hzcqrsEnv(cluster, cluster.name, namespace, { ...extra, PROJECTIONS: 'off' }), '/ready', pinned ? SPLIT_CPUS!.query : undefined)]
        : []),
    ]);
    const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    let d: Deployment | undefined;
    try {
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      d = deployment(servers, cluster.pids, { pinned, cleanup: () => dropNamespace(cluster, namespace) });
      await openAccounts(d, true);
      await warmUp(members, d);
      return d;
    } catch (error) {
      await (d ? d.stop() : stopAll(servers));
      throw error;
    }
  };

  const hz = (key: string, name: string, members: 1 | 3, split: boolean, extra: Record<string, string> = {}, pinned = false): SystemSpec => ({
    key,
    name,
    start: (trial) => startHzcqrs(key, trial, members, split, extra, pinned),
  });

  /**
   * The baseline on fresh tables: `processes` servers (the first creates the tables before the
   * second starts); the benchmark's accounts opened when `open`.
   */
  const startBaseline = async (key: string, lock: 'none' | 'share', pinned: boolean, processes: 1 | 2, open: boolean): Promise<Deployment> => {
    await db.query(pgBaseline, 'drop table if exists baseline_transactions; drop table if exists baseline_accounts; drop table if exists baseline_transfers');
    const env = { PGDATABASE: pgBaseline.database, ...(lock === 'share' ? { QUERY_LOCK: 'share' } : {}) };
    const servers = [await startServer(`${key} commands`, 'dist/bench/baseline/server.js', env, '/ready', pinned ? SPLIT_CPUS!.rest : undefined)];
    let d: Deployment | undefined;
    try {
      if (processes === 2) servers.push(await startServer(`${key} queries`, 'dist/bench/baseline/server.js', env, '/ready', pinned ? SPLIT_CPUS!.query : undefined));
      d = deployment(servers, () => [], { pinned });
      if (open) await openAccounts(d, false);
      return d;
    } catch (error) {
      await (d ? d.stop() : stopAll(servers));
      throw error;
    }
  };

  const baseline = (key: string, name: string, lock: 'none' | 'share', pinned = false): SystemSpec => ({
    key,
    name,
    noLag: true,
    start: () => startBaseline(key, lock, pinned, 2, true),
  });

  const systems: SystemSpec[] = [
    {
      key: 'hello',
      name: 'Fastify hello-world (ceiling)',
      ceiling: true,
      start: async () => {
        const server = await startServer('hello-world', 'dist/bench/targets/hello-world.js', {}, '/hello');
        return deployment([server], () => []);
      },
    },
    baseline('baseline-plain', 'baseline, plain reads', 'none'),
    baseline('baseline-share', 'baseline, FOR SHARE reads', 'share'),
    hz('hz1', 'hzcqrs, 1 member', 1, true),
    hz('hz1-nc-off', 'hzcqrs, 1 member, Near Cache off', 1, true, { NEAR_CACHE: 'off' }),
    hz('hz1-one-process', 'hzcqrs, 1 member, one process', 1, false),
    hz('hz3', 'hzcqrs, 3 members', 3, true),
    ...(SPLIT_CPUS
      ? [
          baseline('baseline-share-pinned', 'baseline, FOR SHARE reads, query process on its own CPU', 'share', true),
          hz('hz1-pinned', 'hzcqrs, 1 member, query process on its own CPU', 1, true, {}, true),
        ]
      : []),
    {
      key: 'memory',
      name: 'hzcqrs, memory backend, one process',
      start: async () => {
        const server = await startServer('memory', 'dist/src/main.js', { BACKEND: 'memory' }, '/ready');
        const d = deployment([server], () => []);
        await openAccounts(d, true);
        return d;
      },
    },
  ].filter((s) => wanted(s.key));

  const results = new Map<string, Trial[]>(systems.map((s) => [s.key, []]));
  let banking: BankingResults | undefined;
  try {
    for (let t = 0; t < SETTINGS.trials; t++) {
      for (const system of t % 2 === 0 ? systems : [...systems].reverse()) {
        const startMs = Date.now();
        const d = await system.start(t);
        const measureMs = Date.now();
        try {
          results.get(system.key)!.push(await measure(system, d, t));
          const s = (from: number, to: number): string => ((to - from) / 1000).toFixed(1);
          process.stderr.write(`bench: trial ${t + 1}/${SETTINGS.trials} ${system.name} done (start ${s(startMs, measureMs)} s, measure ${s(measureMs, Date.now())} s)\n`);
        } finally {
          await d.stop();
        }
      }
    }
    if (wanted('banking') || wanted('batch')) {
      process.stderr.write(`bench: banking scenarios, seed ${BANKING.seed}\n`);
      banking = await runBankingScenarios(
        {
          baseline: (key, processes) => startBaseline(key, 'none', false, processes, false),
          hzcqrs: (key, members, processes) => startHzcqrs(key, 0, members, processes === 2),
          settle,
        },
        BANKING,
        { online: wanted('banking'), endOfDay: wanted('batch') },
      );
    }
  } finally {
    for (const admin of admins.values()) await (await admin).shutdown();
    for (const cluster of clusters.values()) await cluster.stop();
  }

  const command = `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const page = path.join(ROOT, 'docs/benchmarks.md');
  if (systems.length > 0) {
    const rows: SystemResult[] = systems.map((s) => ({ key: s.key, name: s.name, trials: results.get(s.key)! }));
    const report = render(rows, { ...SETTINGS, command, machine: machine() });
    process.stdout.write(report);
    if (!only) {
      writeSection(page, 'bench', report);
      writeFileSync(path.join(ROOT, 'docs/benchmark-ratio.svg'), chart(rows.filter((r) => r.trials[0]?.loaded)));
    }
  }
  // A banking scenario always runs whole when selected: its section is written whenever it ran.
  if (banking && wanted('banking')) {
    const section = renderOnline(banking, { ...BANKING, command });
    process.stdout.write(`\n${section}`);
    writeSection(page, 'banking', section);
  }
  if (banking && wanted('batch')) {
    const section = renderEndOfDay(banking, { ...BANKING, command });
    process.stdout.write(`\n${section}`);
    writeSection(page, 'batch', section);
  }
  process.stderr.write(`bench: finished in ${Math.round((Date.now() - startedMs) / 1000)} s\n`);
};

/**
 * Waits until the projecting process reports no projection lag, so that one measurement does not
 * pay for the catching up of the writes before it (a server without /metrics has none to wait for).
 */
const settle = async (d: Deployment): Promise<void> => {
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

const measure = async (system: SystemSpec, d: Deployment, trial: number): Promise<Trial> => {
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

const machine = (): string => {
  const cpus = os.cpus();
  // java -version prints on stderr.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0]?.trim() || 'Java';
  const pg = (() => {
    try {
      return execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      return 'PostgreSQL';
    }
  })();
  return `${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; ${java}; ${pg}`;
};

await main();
process.exit(0);
