import type { TransferState } from '../transfer/transfer.js';
import type { SnapshotStore, Snapshot } from './snapshot-store.port.js';

export interface PendingTransfer {
  readonly transferId: string;
  readonly snapshot: Snapshot<TransferState>;
}

/** Transfer process state. Pending transfers are found again after a crash, and block closing their source. */
export interface TransferSnapshots extends SnapshotStore<TransferState> {
  listPending(filter: { readonly from?: string; readonly limit: number }): Promise<readonly PendingTransfer[]>;
}
