import type { AccountState } from '../../domain/account/account.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { BackendPorts } from '../../application/ports/backend-ports.js';
import { AccountViewsInMemory } from './account-views.in-memory.js';
import { CheckpointsInMemory } from './checkpoints.in-memory.js';
import { EventBusInMemory } from './event-bus.in-memory.js';
import { EventLogInMemory } from './event-log.in-memory.js';
import { IdempotencyStoreInMemory } from './idempotency-store.in-memory.js';
import { ParkedAggregatesInMemory } from './parked-aggregates.in-memory.js';
import { ProjectionLeasesInMemory } from './projection-leases.in-memory.js';
import { SnapshotStoreInMemory } from './snapshot-store.in-memory.js';
import { TransactionHistoryInMemory } from './transaction-history.in-memory.js';
import { TransferSnapshotsInMemory } from './transfer-snapshots.in-memory.js';
import { TransferViewsInMemory } from './transfer-views.in-memory.js';
import { ReadModelGenerationsInMemory } from './read-model-generations.in-memory.js';
import { InspectionInMemory } from './inspection.in-memory.js';
import { PersistedWatermarkInMemory } from './persisted-watermark.in-memory.js';

export interface MemoryBackendOptions {
  readonly shardCount: number;
  readonly bufferCapacity: number;
}

export type MemoryBackend = BackendPorts & {
  readonly eventLog: EventLogInMemory;
  readonly bus: EventBusInMemory;
};

/** The embedded backend: every port in this process's memory. Nothing survives a restart. */
export const createMemoryBackend = (clock: Clock, options: MemoryBackendOptions): MemoryBackend => {
  const bus = new EventBusInMemory(options.shardCount, options.bufferCapacity);
  const accountViews = new AccountViewsInMemory();
  const transactionHistory = new TransactionHistoryInMemory();
  const transferViews = new TransferViewsInMemory();
  const generations = new ReadModelGenerationsInMemory({ accountViews, transactionHistory, transferViews });
  return {
    eventLog: new EventLogInMemory(),
    accountSnapshots: new SnapshotStoreInMemory<AccountState>(),
    transferSnapshots: new TransferSnapshotsInMemory(),
    bus,
    publisher: bus,
    feed: bus,
    checkpoints: new CheckpointsInMemory(),
    leases: new ProjectionLeasesInMemory(clock),
    accountViews,
    transactionHistory,
    transferViews,
    generations,
    persistedWatermark: new PersistedWatermarkInMemory(generations),
    idempotency: new IdempotencyStoreInMemory(clock),
    parked: new ParkedAggregatesInMemory(),
    status: { check: () => ({ connected: true }), connectionEpoch: () => 0 },
    inspection: new InspectionInMemory(bus),
  };
};
