import { Predicates, type HazelcastJsonValue } from 'hazelcast-client';
import type { TransferState } from '../../domain/transfer/transfer.js';
import type { Snapshot } from '../../domain/ports/snapshot-store.port.js';
import type { PendingTransfer, TransferSnapshots } from '../../domain/ports/transfer-snapshots.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue } from './json-codec.js';
import { SnapshotStoreHazelcast } from './snapshot-store.hazelcast.js';

export class TransferSnapshotsHazelcast extends SnapshotStoreHazelcast<TransferState> implements TransferSnapshots {
  static async create(connection: HazelcastConnection, name: string): Promise<TransferSnapshotsHazelcast> {
    const map = await connection.client.getMap<string, HazelcastJsonValue>(name);
    await map.addIndex({ name: 'status', type: 'HASH', attributes: ['state.status'] });
    await map.addIndex({ name: 'from', type: 'HASH', attributes: ['state.from'] });
    return new TransferSnapshotsHazelcast(connection, map);
  }

  async listPending(filter: { readonly from?: string; readonly limit: number }): Promise<readonly PendingTransfer[]> {
    const pending = Predicates.equal('state.status', 'pending');
    const predicate = filter.from === undefined ? pending : Predicates.and(pending, Predicates.equal('state.from', filter.from));
    const entries = await this.connection.call('list pending transfers', () => this.map.entrySetWithPredicate(predicate));
    return entries
      .slice(0, filter.limit)
      .map(([transferId, value]) => ({ transferId, snapshot: fromJsonValue<Snapshot<TransferState>>(value)! }));
  }
}
