import type { ApplicationOptions } from '../application/application.js';

/** Tuning that is not configuration a user sets: chosen here, explained in docs/adr. */
export const defaultApplicationOptions = (ownerId: string, runProjections = true): ApplicationOptions => ({
  ownerId,
  runProjections,
  commandRetry: { budgetMs: 10_000 },
  accountSnapshotEvery: 16,
  projections: { batchSize: 256, readWaitMs: 500, leaseTtlMs: 10_000, recoveryOverlapMs: 5_000, parallelAggregates: 32, checkpointEveryMs: 1_000 },
  reconciler: { intervalMs: 2_000, graceMs: 3_000, overlapMs: 5_000, windowLimit: 5_000, leaseTtlMs: 10_000 },
  idempotency: { retentionMs: 24 * 60 * 60 * 1000, inFlightLeaseMs: 60_000 },
});
