import type { Snapshot, SnapshotStore } from '../../domain/ports/snapshot-store.port.js';

export class SnapshotStoreInMemory<S> implements SnapshotStore<S> {
  protected readonly entries = new Map<string, Snapshot<S>>();

  async get(aggregateId: string): Promise<Snapshot<S> | undefined> {
    return this.entries.get(aggregateId);
  }

  async saveIfNewer(aggregateId: string, snapshot: Snapshot<S>): Promise<void> {
    const stored = this.entries.get(aggregateId);
    if (!stored || stored.version < snapshot.version) this.entries.set(aggregateId, snapshot);
  }
}
