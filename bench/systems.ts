/**
 * The systems under test of `npm run bench`, as deployments on this machine: the Fastify
 * hello-world ceiling, the single-model baseline (bench/baseline) with plain and with FOR SHARE
 * reads, hzcqrs on one Hazelcast member (Near Cache on and off, in one process, with the query
 * process on a CPU of its own) and on three, and hzcqrs on the memory backend. Each starts its
 * servers afresh per trial; the clusters are started once and shared by the trials.
 */
import os from 'node:os';
import { Client } from 'hazelcast-client';
import { pinProcesses, postgresPids, startServer, type Deployment, type Server } from './deployments.js';
import { runJob } from './load/jobs.js';
import { INSTANCE, PREFIX, SETTINGS, wanted } from './settings.js';
import * as clusterApi from '../tools/cluster.js';
import * as db from '../tools/db.js';

type PgSettings = ReturnType<typeof db.pgSettings>;

export interface SystemSpec {
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
export const loadCpus = (d: Deployment): { readonly onQuerySide: { cpus?: string }; readonly onRest: { cpus?: string } } =>
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

export interface Systems {
  /** The systems of the main section, those asked for with --only. */
  readonly systems: readonly SystemSpec[];
  /** The baseline on fresh tables with one or two server processes (the banking scenarios). */
  startBaseline(key: string, lock: 'none' | 'share', pinned: boolean, processes: 1 | 2, open: boolean): Promise<Deployment>;
  /** hzcqrs in a fresh namespace on one member or three, with a query process of its own when `split`. */
  startHzcqrs(key: string, trial: number, members: 1 | 3, split: boolean, extra?: Record<string, string>, pinned?: boolean): Promise<Deployment>;
  /** Stops the clusters and their admin clients. */
  close(): Promise<void>;
}

/** `run`: this run's id, in every namespace it makes. */
export const createSystems = (pgMembers: PgSettings, pgBaseline: PgSettings, run: string): Systems => {
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
      startServer(`${key} commands`, 'dist/src/main.js', hzcqrsEnv(cluster, cluster.name, namespace, { ...db.pgEnv(pgMembers), ...extra }), '/ready', pinned ? SPLIT_CPUS!.rest : undefined),
      ...(split
        ? [startServer(`${key} queries`, 'dist/src/main.js', hzcqrsEnv(cluster, cluster.name, namespace, { ...db.pgEnv(pgMembers), ...extra, PROJECTIONS: 'off' }), '/ready', pinned ? SPLIT_CPUS!.query : undefined)]
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

  return {
    systems,
    startBaseline,
    startHzcqrs,
    close: async () => {
      for (const admin of admins.values()) await (await admin).shutdown();
      for (const cluster of clusters.values()) await cluster.stop();
    },
  };
};
