import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { Snapshot, SnapshotStore } from '../../domain/ports/snapshot-store.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

const MAX_RACES = 32;

/** The write model: one snapshot per aggregate, moved forward by compare-and-set only. */
export class SnapshotStoreHazelcast<S> implements SnapshotStore<S> {
  constructor(
    protected readonly connection: HazelcastConnection,
    protected readonly map: IMap<string, HazelcastJsonValue>,
  ) {}

  async get(aggregateId: string): Promise<Snapshot<S> | undefined> {
    const value = await this.connection.call('get snapshot', () => this.map.get(aggregateId));
    return fromJsonValue<Snapshot<S>>(value);
  }

  async saveIfNewer(aggregateId: string, snapshot: Snapshot<S>, previous?: Snapshot<S>): Promise<void> {
    const next = toJsonValue(snapshot);
    // The usual case, in one call: the snapshot the command was decided on is still the stored one.
    // Canonical JSON of what was loaded is the stored bytes, so the member's comparison holds.
    if (previous && previous.version < snapshot.version) {
      if (await this.connection.call('save snapshot', () => this.map.replaceIfSame(aggregateId, toJsonValue(previous), next))) return;
    }
    for (let race = 0; race < MAX_RACES; race++) {
      const stored = await this.connection.call('get snapshot', () => this.map.get(aggregateId));
      if (stored === null || stored === undefined) {
        const previous = await this.connection.call('save snapshot', () => this.map.putIfAbsent(aggregateId, next));
        if (previous === null || previous === undefined) return;
        continue;
      }
      if (fromJsonValue<Snapshot<S>>(stored)!.version >= snapshot.version) return;
      // The stored value goes back exactly as read, so the member's byte comparison means "unchanged".
      if (await this.connection.call('save snapshot', () => this.map.replaceIfSame(aggregateId, stored, next))) return;
    }
    throw new Error(`snapshot ${aggregateId} lost ${MAX_RACES} races in a row`);
  }
}
