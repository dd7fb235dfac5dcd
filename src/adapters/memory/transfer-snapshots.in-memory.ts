import type { TransferState } from '../../domain/transfer/transfer.js';
import type { PendingTransfer, TransferSnapshots } from '../../domain/ports/transfer-snapshots.port.js';
import { SnapshotStoreInMemory } from './snapshot-store.in-memory.js';

export class TransferSnapshotsInMemory extends SnapshotStoreInMemory<TransferState> implements TransferSnapshots {
  async listPending(filter: { readonly from?: string; readonly limit: number }): Promise<readonly PendingTransfer[]> {
    const found: PendingTransfer[] = [];
    for (const [transferId, snapshot] of this.entries) {
      if (found.length >= filter.limit) break;
      const state = snapshot.state;
      if (state.status !== 'pending') continue;
      if (filter.from !== undefined && state.from !== filter.from) continue;
      found.push({ transferId, snapshot });
    }
    return found;
  }
}
