/**
 * The fault harness: drives the HTTP API of two service instances on a three-member cluster with
 * concurrent deposits, withdrawals and transfers, injects one fault at a time, and checks after
 * each that every acknowledged command is in the event log exactly once, that the views converge
 * to the fold of the log, that transfers conserve money, that no balance was ever negative and
 * that every transfer ended. The log is read from PostgreSQL, where the members write it through.
 */
import path from 'node:path';
import { Client } from 'hazelcast-client';
import { LoopbackPartition } from './loopback-partition.js';
import { OutageObserver, type OutageFigures } from './outage-observer.js';
import { clusterAgainstLog, commandsAgainstLog, viewsAgainstLog, type ClusterEvent, type LogRow, type SeenCommand, type SeenView } from './seen-against-log.js';
import { everyTransferEnded, fold, tally } from './checker.js';
import { call, request, send, startInstance, until, waitReady, type Ack, type Command, type Instance } from './instances.js';
import { TcpProxy } from './tcp-proxy.js';
import { freeBasePort, freePort } from '../tools/free-port.js';
import { seededRandom } from '../tools/seeded-random.js';
import * as clusterApi from '../tools/cluster.js';
import * as db from '../tools/db.js';

export type FaultName =
  | 'kill-member'
  | 'stop-member'
  | 'kill-instance'
  | 'slow-projection'
  | 'network'
  | 'postgres-restart'
  | 'cluster-outage'
  | 'postgres-outage'
  | 'split-brain';

export const ALL_FAULTS: readonly FaultName[] = [
  'kill-member',
  'stop-member',
  'kill-instance',
  'slow-projection',
  'network',
  'postgres-restart',
  'cluster-outage',
  'postgres-outage',
  'split-brain',
];

/** Faults whose dependency stays away for `longOutageMs` while the load goes on (ADR 0031). */
export const LONG_OUTAGES: readonly FaultName[] = ['cluster-outage', 'postgres-outage'];

export interface HarnessOptions {
  readonly faults: readonly FaultName[];
  /** How long the load runs in each phase; the fault comes a third of the way in. */
  readonly loadMs: number;
  readonly clients: number;
  readonly accounts: number;
  /** How long a stopped member (SIGSTOP) or instance stays stopped, and an outage lasts. */
  readonly outageMs: number;
  /** How long the whole cluster, or PostgreSQL, stays away in the long outages; the load runs that much longer. Default 120 s. */
  readonly longOutageMs?: number;
  /** The bound within which the views must equal the fold of the log after the load. */
  readonly convergeWithinMs: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

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

/** The split-brain fault's figures (ADR 0035). */
export interface SplitFigures {
  /** Answers by side while the partition lasted: `majority` is instance 0's, `minority` instance 1's. */
  readonly majority: SideAnswers;
  readonly minority: SideAnswers;
  /** From the cut until each side had formed a cluster of its own (sizes 2 and 1). */
  readonly formedMs: number;
  /** From the heal until every member was in one cluster of three again. */
  readonly mergedMs: number;
  /** `on` (a majority of 2 for every map of the project) or `off` (HZCQRS_FAULTS_SPLIT_PROTECTION=off). */
  readonly protection: 'on' | 'off';
  /** Acknowledged deposits and withdrawals whose answered version holds another event in the log. */
  readonly commandsAtAnotherVersion: number;
  /** Views read by clients, and those whose balance is not the log's at their version. */
  readonly viewsRead: number;
  readonly viewsNotInLog: number;
  /** The merged cluster's event log against PostgreSQL's. */
  readonly clusterMissing: number;
  readonly clusterExtra: number;
  readonly clusterDifferent: number;
}

export interface SideAnswers {
  /** Commands acknowledged (2xx). */
  readonly acknowledged: number;
  /** 503 answers with Retry-After. */
  readonly unavailable: number;
  /** Other answers by status, e.g. `409: 2`, or `none`. */
  readonly other: string;
  /** No answer within the client's 15 s, or a broken connection. */
  readonly unanswered: number;
  /** Account views read from the side's instance, by status, e.g. `200: 40, 503: 2`. */
  readonly reads: string;
}

type Row = LogRow;

export const runHarness = async (options: HarnessOptions): Promise<FaultResult[]> => {
  const random = seededRandom(options.seed);
  const run = `${Date.now().toString(36)}`;
  const direct = { ...db.pgSettings(), database: process.env['HZCQRS_FAULTS_PGDATABASE'] ?? 'hzcqrs_faults' };
  const pgProxy = new TcpProxy(direct.host, direct.port);
  await pgProxy.start();
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

/** Split-brain protection is on unless HZCQRS_FAULTS_SPLIT_PROTECTION=off (to see the cluster without it). */
const splitProtection = (): boolean => process.env['HZCQRS_FAULTS_SPLIT_PROTECTION'] !== 'off';

/** Members 0 and 1 (the majority) and member 2 (the minority), each on a loopback address of its own. */
const SPLIT_HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];

/**
 * Failure detection and merge within seconds rather than the defaults' minutes (60 s without
 * heartbeat; the first merge attempt 300 s after start, then every 120 s), so that the phase lasts
 * a minute; what they are in production is ADR 0035's.
 */
const SPLIT_JAVA_OPTIONS = [
  '-Dhazelcast.heartbeat.interval.seconds=1',
  '-Dhazelcast.max.no.heartbeat.seconds=6',
  '-Dhazelcast.merge.first.run.delay.seconds=5',
  '-Dhazelcast.merge.next.run.delay.seconds=5',
];

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
    basePort,
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
    for (const instance of instances) await waitReady(instance);
    const accounts = Array.from({ length: options.accounts }, (_, i) => `acc-${i}`);
    for (const account of accounts) {
      await call(instances, 'POST', '/accounts', { owner: 'harness', accountId: account }, `open-${account}`);
      await call(instances, 'POST', `/accounts/${account}/deposits`, { amount: 1_000_000 }, `seed-${account}`);
    }

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
      notes = await inject(fault, cluster, instances, pgProxy, netProxy, options, observer, split);
      // After the merge the load goes on for the last third, on the merged cluster.
      if (split) stopAt = Math.max(stopAt, Date.now() + options.loadMs / 3);
    })();
    await Promise.all([...clients, injected]);
    observer.stop();

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

/**
 * What the split-brain phase keeps: the partition, the user ids of the two instances (the packet
 * filter tells their clients apart by them), the answers of each side while the partition lasts,
 * the views clients read, and the times the cut, the two clusters and the merge took.
 */
class SplitState {
  readonly partition = new LoopbackPartition();
  readonly uids: readonly number[] = [60_000 + (process.pid % 2_000) * 2, 60_001 + (process.pid % 2_000) * 2];
  readonly views: SeenView[] = [];
  done = false;
  formedMs = 0;
  mergedMs = 0;
  private window: { from: number; to: number } | undefined;
  private readonly answers: { readonly instance: number; readonly sentAt: number; readonly status: number | undefined; readonly retryAfter: boolean }[] = [];
  private readonly reads: { readonly instance: number; readonly sentAt: number; readonly status: number | undefined; readonly retryAfter: boolean }[] = [];

  readonly tally = (instance: number, sentAt: number, status: number | undefined, retryAfter: boolean): void => {
    this.answers.push({ instance, sentAt, status, retryAfter });
  };

  partitioned(from: number, to: number): void {
    this.window = { from, to };
  }

  async readView(instances: readonly Instance[], home: number, account: string): Promise<void> {
    const sentAt = Date.now();
    const answer = await request(instances[home]!, 'GET', `/accounts/${account}`);
    this.reads.push({ instance: home, sentAt, status: answer?.status, retryAfter: answer?.retryAfter !== undefined && answer.retryAfter !== null });
    const { version, balance } = answer?.json ?? {};
    if (answer?.status === 200 && typeof version === 'number' && typeof balance === 'number') this.views.push({ account, version, balance });
  }

  private side(instance: number): SideAnswers {
    const during = (a: { readonly instance: number; readonly sentAt: number }): boolean =>
      a.instance === instance && this.window !== undefined && a.sentAt >= this.window.from && a.sentAt <= this.window.to;
    const inWindow = this.answers.filter(during);
    const reads = new Map<string, number>();
    for (const a of this.reads.filter(during)) reads.set(String(a.status ?? 'none'), (reads.get(String(a.status ?? 'none')) ?? 0) + 1);
    const others = new Map<number, number>();
    for (const a of inWindow) if (a.status !== undefined && a.status >= 300 && !(a.status === 503 && a.retryAfter)) others.set(a.status, (others.get(a.status) ?? 0) + 1);
    return {
      acknowledged: inWindow.filter((a) => a.status !== undefined && a.status < 300).length,
      unavailable: inWindow.filter((a) => a.status === 503 && a.retryAfter).length,
      other: others.size === 0 ? 'none' : [...others].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', '),
      unanswered: inWindow.filter((a) => a.status === undefined).length,
      reads: reads.size === 0 ? 'none' : [...reads].sort().map(([status, n]) => `${status}: ${n}`).join(', '),
    };
  }

  async figures(cluster: Cluster, namespace: string, acks: readonly Ack[], rows: readonly Row[]): Promise<SplitFigures> {
    const seen: SeenCommand[] = acks
      .filter((a) => a.status < 300 && a.kind !== 'transfer' && a.version !== undefined)
      .map((a) => ({ account: a.account, version: a.version!, eventType: a.kind === 'deposit' ? 'MoneyDeposited' : 'MoneyWithdrawn', amount: a.amount }));
    const held = clusterAgainstLog(await clusterEvents(cluster, namespace), rows);
    return {
      majority: this.side(0),
      minority: this.side(1),
      formedMs: this.formedMs,
      mergedMs: this.mergedMs,
      protection: splitProtection() ? 'on' : 'off',
      commandsAtAnotherVersion: commandsAgainstLog(seen, rows).length,
      viewsRead: this.views.length,
      viewsNotInLog: viewsAgainstLog(this.views, rows).length,
      clusterMissing: held.missing,
      clusterExtra: held.extra,
      clusterDifferent: held.different,
    };
  }
}

type Cluster = Awaited<ReturnType<typeof clusterApi.startCluster>>;

/** Every event the cluster's event log holds, read by a client of the harness's own. */
const clusterEvents = async (cluster: Cluster, namespace: string): Promise<ClusterEvent[]> => {
  const client = await Client.newHazelcastClient({
    clusterName: cluster.clusterName,
    network: { clusterMembers: cluster.addresses },
    properties: { 'hazelcast.logging.level': 'OFF' },
  });
  try {
    const map = await client.getMap<unknown, unknown>(`${namespace}.event-log`);
    const values = await map.values();
    return values.toArray().map((value) => {
      const event = (typeof value === 'string' ? JSON.parse(value) : value) as ClusterEvent;
      return { aggregateType: event.aggregateType, aggregateId: event.aggregateId, version: event.version, eventId: event.eventId };
    });
  } finally {
    await client.shutdown();
  }
};

const longOutageOf = (options: HarnessOptions): number => options.longOutageMs ?? 120_000;

const inject = async (
  fault: FaultName,
  cluster: Awaited<ReturnType<typeof clusterApi.startCluster>>,
  instances: Instance[],
  pgProxy: TcpProxy,
  netProxy: TcpProxy | undefined,
  options: HarnessOptions,
  observer: OutageObserver,
  split?: SplitState,
): Promise<string> => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  switch (fault) {
    case 'kill-member':
      await cluster.killMember(1, 'SIGKILL');
      await pause(options.outageMs);
      await cluster.startMember(1);
      return 'kill -9 of member 1, restarted';
    case 'stop-member':
      await cluster.killMember(1, 'SIGSTOP');
      await pause(options.outageMs);
      await cluster.killMember(1, 'SIGCONT');
      return `SIGSTOP of member 1 for ${options.outageMs / 1000} s, then SIGCONT`;
    case 'kill-instance': {
      const owner = await projectionOwner(instances);
      instances[owner]!.child.kill('SIGKILL');
      await pause(options.outageMs / 4);
      instances[owner]!.child = startInstance(instances[owner]!.env, instances[owner]!.uid);
      await waitReady(instances[owner]!);
      return `kill -9 of instance ${owner} (it owned projection shards), restarted`;
    }
    case 'slow-projection': {
      const owner = await projectionOwner(instances);
      instances[owner]!.child.kill('SIGSTOP');
      await pause(options.outageMs);
      instances[owner]!.child.kill('SIGCONT');
      return `instance ${owner} (projection owner) stopped ${options.outageMs / 1000} s while writes went on; ringbuffers of 16 items`;
    }
    case 'network':
      netProxy!.degrade({ delayMs: 30, dropEveryMs: options.outageMs / 3 });
      await pause(options.outageMs);
      netProxy!.degrade(undefined);
      return `instance 1 reaches the cluster through a proxy adding 30 ms per chunk and cutting its connections every ${(options.outageMs / 3000).toFixed(1)} s, for ${options.outageMs / 1000} s`;
    case 'postgres-restart':
      await pgProxy.cut();
      await pause(options.outageMs / 2);
      await pgProxy.restore();
      return `PostgreSQL unreachable from the members for ${options.outageMs / 2000} s (connections cut), then back`;
    case 'cluster-outage': {
      observer.outageStarted();
      for (const member of cluster.members.keys()) await cluster.killMember(member, 'SIGKILL');
      await pause(longOutageOf(options));
      // The cluster is back when its first member is ready (it loads the log from PostgreSQL); the others join it.
      const restarting = Date.now();
      await cluster.startMember(0);
      observer.dependencyBack();
      const firstReadyMs = Date.now() - restarting;
      for (const member of [...cluster.members.keys()].slice(1)) await cluster.startMember(member);
      return `kill -9 of all three members for ${longOutageOf(options) / 1000} s, then restarted (the first ready ${(firstReadyMs / 1000).toFixed(1)} s after its start, loading the log from PostgreSQL)`;
    }
    case 'postgres-outage':
      observer.outageStarted();
      await pgProxy.cut();
      await pause(longOutageOf(options));
      await pgProxy.restore();
      observer.dependencyBack();
      return `PostgreSQL unreachable from the members for ${longOutageOf(options) / 1000} s (connections cut and refused), then back`;
    case 'split-brain': {
      const state = split!;
      const side = (members: readonly number[], instance: number) => ({
        members: members.map((i) => ({ host: cluster.members[i]!.host!, port: cluster.members[i]!.port })),
        clientUids: [instances[instance]!.uid!],
      });
      const sizes = async (): Promise<(number | undefined)[]> => Promise.all([0, 1, 2].map(async (i) => (await cluster.health(i))?.clusterSize));
      const cutAt = Date.now();
      let healAt = cutAt;
      try {
        await state.partition.cut(side([0, 1], 0), side([2], 1));
        state.formedMs = await until('members 0 and 1 in a cluster of two, member 2 alone', async () => (await sizes()).join() === '2,2,1', 60_000, 200);
        await pause(options.outageMs);
        healAt = Date.now();
        await state.partition.heal();
        state.mergedMs = await until('the three members merged into one cluster', async () => (await sizes()).join() === '3,3,3', 180_000, 200);
        state.partitioned(cutAt, Date.now());
      } finally {
        await state.partition.heal();
        state.done = true;
      }
      return `members 0+1 (instance 0) cut from member 2 (instance 1) for ${((healAt - cutAt) / 1000).toFixed(0)} s: two clusters ${(state.formedMs / 1000).toFixed(1)} s after the cut, merged ${(state.mergedMs / 1000).toFixed(1)} s after the heal`;
    }
  }
};

const projectionOwner = async (instances: readonly Instance[]): Promise<number> => {
  for (const [i, instance] of instances.entries()) {
    const status = await request(instance, 'GET', '/admin/projections');
    const shards = (status?.json['shards'] ?? []) as { owned: boolean }[];
    if (shards.some((s) => s.owned)) return i;
  }
  return 0;
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
