/**
 * The fault harness: drives the HTTP API of two service instances on a three-member cluster with
 * concurrent deposits, withdrawals and transfers, injects one fault at a time, and checks after
 * each that every acknowledged command is in the event log exactly once, that the views converge
 * to the fold of the log, that transfers conserve money, that no balance was ever negative and
 * that every transfer ended. The log is read from PostgreSQL, where the members write it through.
 */
import path from 'node:path';
import { LoopbackPartition } from './loopback-partition.js';
import { OutageObserver, type OutageFigures } from './outage-observer.js';
import type { LogRow } from './seen-against-log.js';
import { everyTransferEnded, fold, tally } from './checker.js';
import { call, request, send, startInstance, until, waitReady, type Ack, type Command, type Instance } from './instances.js';
import { TcpProxy } from './tcp-proxy.js';
import { inject, longOutageOf } from './catalog.js';
import { SplitState, SPLIT_HOSTS, SPLIT_JAVA_OPTIONS, splitProtection, type SplitFigures } from './split-brain.js';
import { freeBasePort, freePort } from '../tools/free-port.js';
import { seededRandom } from '../tools/seeded-random.js';
import * as clusterApi from '../tools/cluster.js';
import * as db from '../tools/db.js';
import { LONG_OUTAGES, type FaultName, type HarnessOptions } from './options.js';

export { ALL_FAULTS, LONG_OUTAGES, type FaultName, type HarnessOptions } from './options.js';

export interface FaultResult {
  readonly fault: FaultName;
  readonly load: string;
  readonly acknowledged: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly negativeBalances: number;
  readonly unbalancedTransfers: number;
  readonly unfinishedTransfers: number;
  readonly convergedMs: number | null;
  readonly clientErrors: number;
  readonly notes: string;
  /** For the long outages: what the clients saw meanwhile, the instances' memory, the recovery. */
  readonly outage?: OutageFigures;
  /** For the split brain: what each side answered, the merge, and the versions clients saw. */
  readonly split?: SplitFigures;
}

export type { SideAnswers, SplitFigures } from './split-brain.js';

type Row = LogRow;

export const runHarness = async (options: HarnessOptions): Promise<FaultResult[]> => {
  const random = seededRandom(options.seed);
  const run = `${Date.now().toString(36)}`;
  const direct = { ...db.pgSettings(), database: process.env['HZCQRS_FAULTS_PGDATABASE'] ?? 'hzcqrs_faults' };
  const pgProxy = new TcpProxy(direct.host, direct.port);
  await pgProxy.start();
  options.log('run starting');
  const basePort = await freeBasePort(Number(process.env['HZCQRS_FAULTS_BASE_PORT'] ?? 6101));
  const stateDir = path.join('.hazelcast', `faults-${process.pid}`);
  await clusterApi.stopCluster(stateDir);
  // The split brain runs on a cluster of its own (one loopback address per member); the others share one.
  const cluster = options.faults.some((f) => f !== 'split-brain')
    ? await clusterApi.startCluster({
        members: 3,
        basePort,
        clusterName: `hzcqrs-faults-${process.pid}`,
        stateDir,
        persistence: { settings: { ...direct, port: pgProxy.port } },
      })
    : undefined;
  if (cluster) options.log(`cluster of 3 members on ${cluster.addresses.join(',')}, PostgreSQL through a proxy on ${pgProxy.port}`);
  const results: FaultResult[] = [];
  try {
    for (const [index, fault] of options.faults.entries()) {
      // A projection slower than its buffer: the `hzcqrs-small*` topics keep 16 items.
      const namespace = `${fault === 'slow-projection' ? 'hzcqrs-small' : 'hzcqrs-faults'}-${run}-${index}`;
      results.push(
        fault === 'split-brain'
          ? await splitBrainPhase(namespace, basePort + 10, pgProxy, direct, random, options)
          : await phase(fault, namespace, cluster!, pgProxy, direct, random, options),
      );
      options.log(JSON.stringify(results[results.length - 1]));
    }
  } finally {
    await cluster?.stop();
    await pgProxy.cut();
  }
  return results;
};

const splitBrainPhase = async (
  namespace: string,
  basePort: number,
  pgProxy: TcpProxy,
  pg: ReturnType<typeof db.pgSettings>,
  random: () => number,
  options: HarnessOptions,
): Promise<FaultResult> => {
  await LoopbackPartition.removeStale();
  const stateDir = path.join('.hazelcast', `faults-split-${process.pid}`);
  await clusterApi.stopCluster(stateDir);
  const cluster = await clusterApi.startCluster({
    members: 3,
    // Free on the members' own addresses too: another cluster of split addresses may hold these ports.
    basePort: await freeBasePort(basePort, SPLIT_HOSTS),
    clusterName: `hzcqrs-faults-split-${process.pid}`,
    stateDir,
    hosts: SPLIT_HOSTS,
    javaOptions: SPLIT_JAVA_OPTIONS,
    splitBrainProtection: splitProtection(),
    persistence: { settings: { ...pg, port: pgProxy.port } },
  });
  options.log(`split-brain cluster on ${cluster.addresses.join(',')}`);
  try {
    return await phase('split-brain', namespace, cluster, pgProxy, pg, random, options);
  } finally {
    await cluster.stop();
  }
};

const phase = async (
  fault: FaultName,
  namespace: string,
  cluster: Awaited<ReturnType<typeof clusterApi.startCluster>>,
  pgProxy: TcpProxy,
  pg: ReturnType<typeof db.pgSettings>,
  random: () => number,
  options: HarnessOptions,
): Promise<FaultResult> => {
  // For the network fault, one instance reaches the cluster through a proxy that delays and drops.
  const netProxy = fault === 'network' ? new TcpProxy('127.0.0.1', Number(cluster.addresses[0]!.split(':')[1])) : undefined;
  if (netProxy) await netProxy.start();
  const split = fault === 'split-brain' ? new SplitState() : undefined;
  const instances: Instance[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const viaProxy = netProxy && i === 1;
    const env: Record<string, string> = {
      PORT: String(port),
      BACKEND: 'hazelcast',
      HAZELCAST_MEMBERS: viaProxy ? `127.0.0.1:${netProxy.port}` : cluster.addresses.join(','),
      HAZELCAST_CLUSTER_NAME: cluster.clusterName,
      HAZELCAST_NAMESPACE: namespace,
      // The service reads the log where the members write it, through the same proxy: a PostgreSQL
      // outage is one for the service's reads too (ADR 0047).
      ...db.pgEnv({ ...pg, port: pgProxy.port }),
      ...(viaProxy ? { HAZELCAST_SMART_ROUTING: 'off' } : {}),
      LOG_LEVEL: 'warn',
    };
    const uid = split?.uids[i];
    instances.push({ port, env, child: startInstance(env, uid), ...(uid === undefined ? {} : { uid }) });
  }
  let notes = '';
  const long = LONG_OUTAGES.includes(fault);
  const observer = new OutageObserver(() => instances.map((i) => ({ port: i.port, pid: i.child.pid })));
  const observe = long ? (answer: Parameters<OutageObserver['record']>[0]) => observer.record(answer) : undefined;
  try {
    options.log(`${fault}: instances on ${instances.map((i) => i.port).join(', ')} starting`);
    for (const instance of instances) await waitReady(instance);
    options.log(`${fault}: instances ready`);
    const accounts = Array.from({ length: options.accounts }, (_, i) => `acc-${i}`);
    for (const account of accounts) {
      await call(instances, 'POST', '/accounts', { owner: 'harness', accountId: account }, `open-${account}`);
      await call(instances, 'POST', `/accounts/${account}/deposits`, { amount: 1_000_000 }, `seed-${account}`);
    }

    options.log(`${fault}: accounts opened; load for ${options.loadMs + (long ? longOutageOf(options) : 0)} ms`);
    const acks: Ack[] = [];
    let clientErrors = 0;
    let counter = 0;
    const loadMs = options.loadMs + (long ? longOutageOf(options) : 0);
    const started = Date.now();
    let stopAt = started + loadMs;
    if (long) observer.start();
    const clients = Array.from({ length: options.clients }, async (_, client) => {
      // In the split brain each client sends to the instance of its side first, and reads views there too.
      const home = split ? client % instances.length : 0;
      while (Date.now() < stopAt || (split && !split.done)) {
        const n = ++counter;
        const account = accounts[Math.floor(random() * accounts.length)]!;
        if (split && random() < 0.2) {
          await split.readView(instances, home, account);
          continue;
        }
        const roll = random();
        // Amounts are unique per command, so the log tells each command's events apart.
        const command: Command =
          roll < 0.45
            ? { kind: 'deposit', account, amount: 2_000_000 + n, key: `c${client}-${n}` }
            : roll < 0.75
              ? { kind: 'withdrawal', account, amount: n, key: `c${client}-${n}` }
              : { kind: 'transfer', account, to: accounts[Math.floor(random() * accounts.length)]!, amount: 1_000_000 + n, key: `c${client}-${n}` };
        const outcome = await send(instances, command, () => clientErrors++, observe, home, split?.tally);
        if (outcome) acks.push(outcome);
      }
    });
    const injected = (async () => {
      await new Promise((resolve) => setTimeout(resolve, options.loadMs / 3));
      options.log(`${fault}: injecting`);
      notes = await inject(fault, cluster, instances, pgProxy, netProxy, options, observer, split);
      options.log(`${fault}: injected (${notes})`);
      // After the merge the load goes on for the last third, on the merged cluster.
      if (split) stopAt = Math.max(stopAt, Date.now() + options.loadMs / 3);
    })();
    await Promise.all([...clients, injected]);
    observer.stop();
    options.log(`${fault}: load over, ${acks.length} answered; waiting for the views to converge`);

    const { rows: logRows, ...check } = await checkConvergence(instances, namespace, pg, accounts, acks, options);
    return {
      fault,
      load: `${options.clients} clients, ${Math.round((stopAt - started) / 1000)} s, ${options.accounts} accounts`,
      acknowledged: acks.filter((a) => a.status < 300).length,
      ...check,
      clientErrors,
      notes,
      ...(long ? { outage: observer.figures() } : {}),
      ...(split ? { split: await split.figures(cluster, namespace, acks, logRows) } : {}),
    };
  } finally {
    observer.stop();
    await split?.partition.heal();
    for (const instance of instances) instance.child.kill('SIGKILL');
    await netProxy?.cut();
  }
};

const checkConvergence = async (
  instances: readonly Instance[],
  namespace: string,
  pg: ReturnType<typeof db.pgSettings>,
  accounts: readonly string[],
  acks: readonly Ack[],
  options: HarnessOptions,
): Promise<Omit<FaultResult, 'fault' | 'load' | 'acknowledged' | 'clientErrors' | 'notes'> & { readonly rows: readonly Row[] }> => {
  const rowsOf = async (): Promise<Row[]> =>
    (
      await db.query(
        pg,
        'select aggregate_type, aggregate_id, version, event_id, event_type, correlation_id, payload from events where namespace = $1 order by aggregate_id, version',
        [namespace],
      )
    ).rows as Row[];

  // Transfers end, and every instance's views reach the fold of the log, within the bound.
  const started = Date.now();
  let convergedMs: number | null = null;
  let rows: Row[] = [];
  // What kept the views from converging, the last time it was looked at: told when they do not.
  let behind = '';
  try {
    await until(
      'views equal the fold of the log',
      async () => {
        rows = await rowsOf();
        if (!everyTransferEnded(rows)) {
          behind = 'a transfer has not ended';
          return false;
        }
        const folded = fold(rows);
        for (const account of accounts) {
          const expected = folded.get(account)!;
          for (const [i, instance] of instances.entries()) {
            const view = await request(instance, 'GET', `/accounts/${account}`);
            if (view?.status !== 200 || view.json['version'] !== expected.version || view.json['balance'] !== expected.balance) {
              behind = `instance ${i}: ${account} answered ${view?.status} ${JSON.stringify(view?.json)}; the log holds version ${expected.version}, balance ${expected.balance}`;
              return false;
            }
          }
        }
        return true;
      },
      options.convergeWithinMs,
      250,
    );
    convergedMs = Date.now() - started;
  } catch {
    options.log(`views did not converge: ${behind}`);
    rows = await rowsOf();
  }

  return { ...tally(rows, acks), convergedMs, rows };
};
