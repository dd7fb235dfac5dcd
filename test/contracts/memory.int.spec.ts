import { createMemoryBackend, type MemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { FixedClock } from '../support/fixed-clock.js';
import { accountViewsContract } from './account-views.contract.js';
import { backendInspectionContract } from './backend-inspection.contract.js';
import { backendStatusContract } from './backend-status.contract.js';
import { checkpointsContract } from './checkpoints.contract.js';
import { eventBusContract } from './event-bus.contract.js';
import { eventLogContract } from './event-log.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { parkedAggregatesContract } from './parked-aggregates.contract.js';
import { persistedWatermarkContract } from './persisted-watermark.contract.js';
import { projectionLeasesContract } from './projection-leases.contract.js';
import { readModelGenerationsContract } from './read-model-generations.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';
import { transactionHistoryContract } from './transaction-history.contract.js';
import { transferSnapshotsContract } from './transfer-snapshots.contract.js';
import { transferViewsContract } from './transfer-views.contract.js';

/** One backend per suite: its tests share it, as they would share a cluster. */
const backend = (clock = new FixedClock()): MemoryBackend => createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 64 });
const inMemory = { controllableClock: true } as const;

eventLogContract('in memory', async () => ({ log: backend().eventLog }));
snapshotStoreContract('in memory', async () => ({ store: backend().accountSnapshots }));
transferSnapshotsContract('in memory', async () => ({ store: backend().transferSnapshots }));
eventBusContract('in memory', async ({ shardCount, capacity }) => {
  const { publisher, feed } = createMemoryBackend(new FixedClock(), { shardCount, bufferCapacity: capacity });
  return { publisher, feed };
});
backendInspectionContract('in memory', async () => {
  const { publisher, feed, inspection } = backend();
  return { publisher, feed, inspection, kind: 'memory' };
});
checkpointsContract('in memory', async () => ({ checkpoints: backend().checkpoints }));
backendStatusContract('in memory', async () => {
  const { status, checkpoints } = backend();
  return { status, checkpoints };
});
projectionLeasesContract(
  'in memory',
  async () => {
    const clock = new FixedClock();
    return { leases: backend(clock).leases, clock };
  },
  inMemory,
);
accountViewsContract('in memory', async () => ({ views: backend().accountViews }));
transferViewsContract('in memory', async () => ({ views: backend().transferViews }));
transactionHistoryContract('in memory', async () => ({ history: backend().transactionHistory }));
idempotencyStoreContract(
  'in memory',
  async () => {
    const clock = new FixedClock();
    return { store: backend(clock).idempotency, clock };
  },
  inMemory,
);
parkedAggregatesContract('in memory', async () => ({ parked: backend().parked }));
readModelGenerationsContract('in memory', async () => ({ generations: backend().generations }));
persistedWatermarkContract('in memory', async () => {
  const { persistedWatermark, generations } = backend();
  return { persisted: persistedWatermark, generations };
});
