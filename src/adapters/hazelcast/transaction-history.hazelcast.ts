import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { TransactionEntry, TransactionHistory } from '../../domain/ports/read-model.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

interface EntryKey {
  readonly partitionKey: string;
  readonly version: number;
}

/** One entry per account event, partitioned by account: a page is one getAll on one partition. */
export class TransactionHistoryHazelcast implements TransactionHistory {
  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<EntryKey, HazelcastJsonValue>,
  ) {}

  static async create(connection: HazelcastConnection, name: string): Promise<TransactionHistoryHazelcast> {
    return new TransactionHistoryHazelcast(connection, await connection.client.getMap(name));
  }

  async putAll(entries: readonly TransactionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.connection.call('write history', () =>
      this.map.setAll(entries.map((entry) => [key(entry.accountId, entry.version), toJsonValue(entry)])),
    );
  }

  async list(accountId: string, afterVersion: number, upToVersion: number, limit: number): Promise<readonly TransactionEntry[]> {
    const last = Math.min(upToVersion, afterVersion + limit);
    if (last <= afterVersion) return [];
    const keys: EntryKey[] = [];
    for (let version = afterVersion + 1; version <= last; version++) keys.push(key(accountId, version));
    const entries = await this.connection.call('read history', () => this.map.getAll(keys));
    return entries.map(([, value]) => fromJsonValue<TransactionEntry>(value)!).sort((a, b) => a.version - b.version);
  }
}

const key = (accountId: string, version: number): EntryKey => ({ partitionKey: accountId, version });
