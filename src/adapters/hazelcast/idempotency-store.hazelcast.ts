import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { IdempotencyRecord, IdempotencyStore } from '../../application/ports/idempotency-store.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

/**
 * Idempotency records in an IMap. Records are canonical JSON, so "the record I expect" is a byte
 * comparison on the member. Records live as long as the retention the application asks for at
 * putIfAbsent, and the map's own TTL (48 h in the member configuration) bounds whatever is left.
 */
export class IdempotencyStoreHazelcast implements IdempotencyStore {
  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<string, HazelcastJsonValue>,
  ) {}

  static async create(connection: HazelcastConnection, name: string): Promise<IdempotencyStoreHazelcast> {
    return new IdempotencyStoreHazelcast(connection, await connection.client.getMap(name));
  }

  async putIfAbsent(key: string, record: IdempotencyRecord, ttlMs: number): Promise<IdempotencyRecord | undefined> {
    const previous = await this.connection.call('claim idempotency key', () => this.map.putIfAbsent(key, toJsonValue(record), ttlMs));
    return fromJsonValue<IdempotencyRecord>(previous);
  }

  async replace(key: string, expected: IdempotencyRecord, next: IdempotencyRecord, _ttlMs: number): Promise<boolean> {
    // One atomic call: the entry keeps a TTL of at least the retention (set at putIfAbsent, and the
    // map's own 48 h in the member configuration), so no second call is needed to extend it.
    return this.connection.call('complete idempotency key', () => this.map.replaceIfSame(key, toJsonValue(expected), toJsonValue(next)));
  }

  async remove(key: string, expected: IdempotencyRecord): Promise<void> {
    await this.connection.call('forget idempotency key', () => this.map.remove(key, toJsonValue(expected)));
  }

  /** `putTransient`: the member keeps it (and its backup) without calling the MapStore. */
  async overwriteWorkingCopy(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    await this.connection.call('settle idempotency key in memory', () => this.map.putTransient(key, toJsonValue(record), ttlMs));
  }
}

