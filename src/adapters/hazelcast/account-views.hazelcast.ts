import { Predicates, type HazelcastJsonValue, type Predicate } from 'hazelcast-client';
import type { AccountListQuery, AccountView, AccountViews } from '../../domain/ports/read-model.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue } from './json-codec.js';
import { VersionedViewsHazelcast, type PushedReads } from './versioned-views.hazelcast.js';

/** Account views with indexes for the list query; the page is cut on the members, ordered by key. */
export class AccountViewsHazelcast extends VersionedViewsHazelcast<AccountView> implements AccountViews {
  static async create(connection: HazelcastConnection, name: string, pushedReads?: PushedReads): Promise<AccountViewsHazelcast> {
    const map = await connection.client.getMap<string, HazelcastJsonValue>(name);
    await map.addIndex({ name: 'accountId', type: 'SORTED', attributes: ['accountId'] });
    await map.addIndex({ name: 'owner', type: 'HASH', attributes: ['owner'] });
    await map.addIndex({ name: 'balance', type: 'SORTED', attributes: ['balance'] });
    return new AccountViewsHazelcast(connection, map, pushedReads);
  }

  async list(query: AccountListQuery): Promise<readonly AccountView[]> {
    const filters: Predicate[] = [];
    if (query.afterId !== undefined) filters.push(Predicates.greaterThan('accountId', query.afterId));
    if (query.owner !== undefined) filters.push(Predicates.equal('owner', query.owner));
    if (query.status !== undefined) filters.push(Predicates.equal('status', query.status));
    if (query.minBalance !== undefined) filters.push(Predicates.greaterEqual('balance', query.minBalance));
    if (query.maxBalance !== undefined) filters.push(Predicates.lessEqual('balance', query.maxBalance));
    const filter = filters.length === 0 ? Predicates.alwaysTrue() : filters.length === 1 ? filters[0]! : Predicates.and(...filters);
    // Without a comparator a paging predicate over keys orders by the key's natural (String) order:
    // UTF-16 code units, the same as code points for the ASCII ids the API allows.
    const keys = await this.connection.call('list accounts', () => this.map.keySetWithPredicate(Predicates.paging(filter, query.limit)));
    if (keys.length === 0) return [];
    const entries = await this.connection.call('get accounts', () => this.map.getAll(keys));
    const byId = new Map(entries.map(([id, value]) => [id, fromJsonValue<AccountView>(value)!]));
    return keys.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /**
   * A `getAll`: the members load each id they do not hold from the map store on the partition's
   * own thread, so a load never lands over a view written meanwhile (ADR 0054). The views come
   * back too, and are not needed: the call is the cheapest one that loads on the partition thread.
   */
  async holdAll(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.connection.call('hold views', () => this.map.getAll([...ids]));
  }
}
