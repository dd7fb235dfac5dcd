/**
 * The split-brain fault (ADR 0035): three members on loopback addresses of their own, cut by
 * nftables into a majority and a minority, and what each side answered meanwhile, checked against
 * PostgreSQL's log and against the merged cluster's event log.
 */
import { Client } from 'hazelcast-client';
import { LoopbackPartition } from './loopback-partition.js';
import { request, type Ack, type Instance } from './instances.js';
import { clusterAgainstLog, commandsAgainstLog, viewsAgainstLog, type ClusterEvent, type LogRow, type SeenCommand, type SeenView } from './seen-against-log.js';
import type { Cluster } from '../tools/cluster.js';

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

/** Split-brain protection is on unless HZCQRS_FAULTS_SPLIT_PROTECTION=off (to see the cluster without it). */
export const splitProtection = (): boolean => process.env['HZCQRS_FAULTS_SPLIT_PROTECTION'] !== 'off';

/** Members 0 and 1 (the majority) and member 2 (the minority), each on a loopback address of its own. */
export const SPLIT_HOSTS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];

/**
 * Failure detection and merge within seconds rather than the defaults' minutes (60 s without
 * heartbeat; the first merge attempt 300 s after start, then every 120 s), so that the phase lasts
 * a minute; what they are in production is ADR 0035's.
 */
export const SPLIT_JAVA_OPTIONS = [
  '-Dhazelcast.heartbeat.interval.seconds=1',
  '-Dhazelcast.max.no.heartbeat.seconds=6',
  '-Dhazelcast.merge.first.run.delay.seconds=5',
  '-Dhazelcast.merge.next.run.delay.seconds=5',
];

/**
 * What the split-brain phase keeps: the partition, the user ids of the two instances (the packet
 * filter tells their clients apart by them), the answers of each side while the partition lasts,
 * the views clients read, and the times the cut, the two clusters and the merge took.
 */
export class SplitState {
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

  async figures(cluster: Cluster, namespace: string, acks: readonly Ack[], rows: readonly LogRow[]): Promise<SplitFigures> {
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
