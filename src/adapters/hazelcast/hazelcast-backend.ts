import type { HazelcastJsonValue } from 'hazelcast-client';
import type { AccountState } from '../../domain/account/account.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import { shardOf } from '../../domain/shared/shard.js';
import type { BackendPorts } from '../../application/ports/backend-ports.js';
import { AccountViewsHazelcast } from './account-views.hazelcast.js';
import { CheckpointsHazelcast } from './checkpoints.hazelcast.js';
import { EventBusHazelcast } from './event-bus.hazelcast.js';
import { EventLogHazelcast } from './event-log.hazelcast.js';
import { HazelcastConnection } from './hazelcast-connection.js';
import { IdempotencyStoreHazelcast } from './idempotency-store.hazelcast.js';
import { hazelcastNames } from './names.js';
import { ParkedAggregatesHazelcast } from './parked-aggregates.hazelcast.js';
import { ProjectionLeasesHazelcast } from './projection-leases.hazelcast.js';
import { SnapshotStoreHazelcast } from './snapshot-store.hazelcast.js';
import { TransactionHistoryHazelcast } from './transaction-history.hazelcast.js';
import { TransferSnapshotsHazelcast } from './transfer-snapshots.hazelcast.js';
import { VersionedViewsHazelcast } from './versioned-views.hazelcast.js';
import { ReadModelGenerationsHazelcast } from './read-model-generations.hazelcast.js';
import { InspectionHazelcast } from './inspection.hazelcast.js';
import { PersistedWatermarkHazelcast } from './persisted-watermark.hazelcast.js';
import { RecordedEventsPostgres, type PostgresSettings } from './recorded-events.postgres.js';
import type { RecordedEvents } from '../../domain/ports/event-log.port.js';
import type { TransferView } from '../../domain/ports/read-model.port.js';

/**
 * A pushed view answers plain reads for at most this long after it arrived: the bound on how stale
 * a read can be when the member dropped the event of a later change (ADR 0026).
 */
export const PUSHED_VIEWS_MAX_AGE_MS = 5_000;

export interface HazelcastBackendOptions {
  readonly members: readonly string[];
  readonly clusterName: string;
  readonly shardCount: number;
  /** Prefix of every map and topic name; deployments sharing a cluster keep apart by it. */
  readonly namespace: string;
  readonly connectTimeoutMs: number;
  readonly invocationTimeoutMs: number;
  /**
   * Read the views from this process's memory: values the member pushes ahead of the Near Cache
   * (ADR 0026). Off, every plain read goes to the member (the benchmark turns it off to compare).
   */
  readonly nearCache: boolean;
  /** How long a pushed view may answer after it arrived (default PUSHED_VIEWS_MAX_AGE_MS). */
  readonly pushedViewsMaxAgeMs?: number;
  /** False: one connection, to the listed address only (a member behind a proxy). Default true. */
  readonly smartRouting?: boolean;
  /**
   * Who publishes an appended event: the member that stores it (default; needs the project's member
   * module, ADR 0032), or the service after its append.
   */
  readonly publication?: 'member' | 'service';
  /**
   * The PostgreSQL the members write the log through to: the service reads the log as a whole there
   * (the reconciler's sweep, a rebuild; ADR 0047), in a pool of `postgresPoolSize` (default 4).
   */
  readonly postgres: PostgresSettings;
  readonly postgresPoolSize?: number;
}

export interface HazelcastBackend {
  readonly ports: BackendPorts;
  readonly connection: HazelcastConnection;
  close(): Promise<void>;
}

export const createHazelcastBackend = async (clock: Clock, options: HazelcastBackendOptions): Promise<HazelcastBackend> => {
  const connection = await HazelcastConnection.open({
    members: options.members,
    clusterName: options.clusterName,
    connectTimeoutMs: options.connectTimeoutMs,
    invocationTimeoutMs: options.invocationTimeoutMs,
    smartRouting: options.smartRouting ?? true,
    // Every generation of the views (`<ns>.views.*`, `<ns>.g<n>.views.*`) goes through the Near Cache.
    nearCachedMaps: options.nearCache ? [`${options.namespace}*.views.accounts`, `${options.namespace}*.views.transfers`] : [],
  });
  const recorded = RecordedEventsPostgres.open(options.postgres, options.namespace, { ...(options.postgresPoolSize ? { poolSize: options.postgresPoolSize } : {}) });
  const close = async (): Promise<void> => {
    await connection.close();
    await recorded.close();
  };
  try {
    const ports = await hazelcastPorts(connection, clock, {
      ...options,
      recorded,
      pushedViewsMaxAgeMs: options.nearCache ? (options.pushedViewsMaxAgeMs ?? PUSHED_VIEWS_MAX_AGE_MS) : 0,
    });
    return { ports, connection, close };
  } catch (error) {
    await close();
    throw error;
  }
};

/** Every port over an open connection, in one namespace (several namespaces may share a connection). */
export const hazelcastPorts = async (
  connection: HazelcastConnection,
  clock: Clock,
  options: Pick<HazelcastBackendOptions, 'namespace' | 'shardCount' | 'pushedViewsMaxAgeMs' | 'publication'> & {
    /** The log read as a whole, where the members wrote it through to (ADR 0047). */
    readonly recorded: RecordedEvents;
  },
): Promise<BackendPorts> => {
  const names = hazelcastNames(options.namespace);
  const client = connection.client;
  const pushedReads = options.pushedViewsMaxAgeMs ? { maxAgeMs: options.pushedViewsMaxAgeMs, clock } : undefined;
  const accountViews = await AccountViewsHazelcast.create(connection, names.accountViews, pushedReads);
  const transactionHistory = await TransactionHistoryHazelcast.create(connection, names.transactions);
  const transferViews = new VersionedViewsHazelcast<TransferView>(connection, await client.getMap(names.transferViews), pushedReads);
  const generations = await ReadModelGenerationsHazelcast.create(connection, options.namespace, { accountViews, transactionHistory, transferViews }, pushedReads);
  return {
    eventLog: await EventLogHazelcast.create(
      connection,
      names.eventLog,
      options.recorded,
      (options.publication ?? 'member') === 'member' ? (aggregateId) => names.topic(shardOf(aggregateId, options.shardCount)) : undefined,
    ),
    accountSnapshots: new SnapshotStoreHazelcast<AccountState>(connection, await client.getMap<string, HazelcastJsonValue>(names.accountSnapshots)),
    transferSnapshots: await TransferSnapshotsHazelcast.create(connection, names.transferSnapshots),
    ...(await bus(connection, names, options.shardCount)),
    checkpoints: await CheckpointsHazelcast.create(connection, names.checkpoints),
    leases: await ProjectionLeasesHazelcast.create(connection, names.leases, clock),
    accountViews,
    transactionHistory,
    transferViews,
    generations,
    persistedWatermark: await PersistedWatermarkHazelcast.create(connection, options.namespace, generations),
    idempotency: await IdempotencyStoreHazelcast.create(connection, names.idempotency),
    parked: await ParkedAggregatesHazelcast.create(connection, names.parked),
    status: connection,
  };
};

const bus = async (
  connection: HazelcastConnection,
  names: ReturnType<typeof hazelcastNames>,
  shardCount: number,
): Promise<Pick<BackendPorts, 'publisher' | 'feed' | 'inspection'>> => {
  const eventBus = await EventBusHazelcast.create(connection, names, shardCount);
  return { publisher: eventBus, feed: eventBus, inspection: new InspectionHazelcast(connection, eventBus) };
};
