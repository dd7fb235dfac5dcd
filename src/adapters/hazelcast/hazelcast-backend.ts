import type { HazelcastJsonValue } from 'hazelcast-client';
import type { AccountState } from '../../domain/account/account.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { BackendPorts } from '../../application/application.js';
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
import type { TransferView } from '../../domain/ports/read-model.port.js';

export interface HazelcastBackendOptions {
  readonly members: readonly string[];
  readonly clusterName: string;
  readonly shardCount: number;
  /** Prefix of every map and topic name; deployments sharing a cluster keep apart by it. */
  readonly namespace: string;
  readonly connectTimeoutMs: number;
  readonly invocationTimeoutMs: number;
  /** Read the account views through the Near Cache (the benchmark turns it off to compare). */
  readonly nearCache: boolean;
  /** False: one connection, to the listed address only (a member behind a proxy). Default true. */
  readonly smartRouting?: boolean;
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
  try {
    const ports = await hazelcastPorts(connection, clock, options);
    return { ports, connection, close: () => connection.close() };
  } catch (error) {
    await connection.close();
    throw error;
  }
};

/** Every port over an open connection, in one namespace (several namespaces may share a connection). */
export const hazelcastPorts = async (
  connection: HazelcastConnection,
  clock: Clock,
  options: Pick<HazelcastBackendOptions, 'namespace' | 'shardCount'>,
): Promise<BackendPorts> => {
  const names = hazelcastNames(options.namespace);
  const client = connection.client;
  const accountViews = await AccountViewsHazelcast.create(connection, names.accountViews);
  const transactionHistory = await TransactionHistoryHazelcast.create(connection, names.transactions);
  const transferViews = new VersionedViewsHazelcast<TransferView>(connection, await client.getMap(names.transferViews));
  return {
    eventLog: await EventLogHazelcast.create(connection, names.eventLog),
    accountSnapshots: new SnapshotStoreHazelcast<AccountState>(connection, await client.getMap<string, HazelcastJsonValue>(names.accountSnapshots)),
    transferSnapshots: await TransferSnapshotsHazelcast.create(connection, names.transferSnapshots),
    ...(await bus(connection, names, options.shardCount)),
    checkpoints: await CheckpointsHazelcast.create(connection, names.checkpoints),
    leases: await ProjectionLeasesHazelcast.create(connection, names.leases, clock),
    accountViews,
    transactionHistory,
    transferViews,
    generations: await ReadModelGenerationsHazelcast.create(connection, options.namespace, { accountViews, transactionHistory, transferViews }),
    idempotency: await IdempotencyStoreHazelcast.create(connection, names.idempotency),
    parked: await ParkedAggregatesHazelcast.create(connection, names.parked),
    status: connection,
  };
};

const bus = async (
  connection: HazelcastConnection,
  names: ReturnType<typeof hazelcastNames>,
  shardCount: number,
): Promise<Pick<BackendPorts, 'publisher' | 'feed'>> => {
  const eventBus = await EventBusHazelcast.create(connection, names, shardCount);
  return { publisher: eventBus, feed: eventBus };
};
