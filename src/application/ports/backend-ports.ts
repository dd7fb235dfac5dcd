import type { AccountState } from '../../domain/account/account.js';
import type { BackendInspection } from './backend-inspection.port.js';
import type { BackendStatus } from '../../domain/ports/backend-status.port.js';
import type { Checkpoints } from '../../domain/ports/checkpoints.port.js';
import type { EventFeed, EventPublisher } from '../../domain/ports/event-bus.port.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { IdempotencyStore } from './idempotency-store.port.js';
import type { PersistedWatermark } from '../../domain/ports/persisted-watermark.port.js';
import type { ParkedAggregates } from '../../domain/ports/parked-aggregates.port.js';
import type { ProjectionLeases } from '../../domain/ports/projection-leases.port.js';
import type { ReadModelGenerations } from '../../domain/ports/read-model-generations.port.js';
import type { AccountViews, TransactionHistory, TransferViews } from '../../domain/ports/read-model.port.js';
import type { SnapshotStore } from '../../domain/ports/snapshot-store.port.js';
import type { TransferSnapshots } from '../../domain/ports/transfer-snapshots.port.js';

/** Everything the application needs from a backend: one implementation per adapter set. */
export interface BackendPorts {
  readonly eventLog: EventLog;
  readonly accountSnapshots: SnapshotStore<AccountState>;
  readonly transferSnapshots: TransferSnapshots;
  readonly publisher: EventPublisher;
  readonly feed: EventFeed;
  readonly checkpoints: Checkpoints;
  readonly leases: ProjectionLeases;
  readonly accountViews: AccountViews;
  readonly transactionHistory: TransactionHistory;
  readonly transferViews: TransferViews;
  readonly idempotency: IdempotencyStore;
  readonly parked: ParkedAggregates;
  readonly generations: ReadModelGenerations;
  /** The watermark that survives a full restart with the views it vouches for (ADR 0050). */
  readonly persistedWatermark: PersistedWatermark;
  readonly status: BackendStatus;
  readonly inspection: BackendInspection;
}

