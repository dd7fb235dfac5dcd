import type { AggregateType, EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { VersionedViews, ViewStaleness } from '../../domain/ports/read-model.port.js';

/**
 * A read-model projection of one aggregate type. It folds consecutive events onto the stored view
 * and writes the result only over the version it started from.
 */
export interface Projection<V extends { readonly version: number } = { readonly version: number }> {
  readonly name: string;
  readonly aggregateType: AggregateType;
  /** The stored view, read past any cache. */
  load(aggregateId: string): Promise<V | undefined>;
  /** The view this process last wrote or read, if remembered: possibly stale, never read from the store. */
  recall(aggregateId: string): V | undefined;
  /**
   * Applies `events` (consecutive, right after the version of `current`) over `current`.
   * False when the stored view is no longer `current`.
   */
  apply(aggregateId: string, current: V | undefined, events: readonly EventEnvelope[]): Promise<boolean>;
  /**
   * A rebuild's batch (ADR 0047): each stream whole from version 1, folded here and written in
   * batches (histories, then views raised where the stored one is older or absent). Returns the
   * streams it left alone (not whole from version 1, or holding an event that cannot be applied):
   * the rebuild hands them to the usual path, which fills gaps from the log and parks.
   * `fresh`: the stores are a new generation no query reads, and the caller reads the log again
   * at its end; views are then written without reading the stored ones first (ADR 0051).
   */
  rebuild(streams: readonly (readonly EventEnvelope[])[], options?: RebuildWrite): Promise<readonly (readonly EventEnvelope[])[]>;
  /** Marks the stored view stale (its aggregate was parked at `failedAt`), when there is one. */
  markStale(aggregateId: string, staleness: ViewStaleness): Promise<void>;
}

export interface RebuildWrite {
  readonly fresh?: boolean;
}

/** Raises the stored views, or, into a fresh generation, writes them without reading first. */
export const writeRebuilt = async <V extends { readonly version: number }>(
  views: VersionedViews<V>,
  rebuilt: ReadonlyMap<string, V>,
  options: RebuildWrite = {},
): Promise<void> => {
  if (options.fresh) await views.overwriteAll(rebuilt);
  else await views.raiseAll(rebuilt);
};
