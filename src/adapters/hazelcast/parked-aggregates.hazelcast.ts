import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { ParkedAggregate, ParkedAggregates } from '../../domain/ports/parked-aggregates.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

/** The dead-letter map of views. Small by nature; `isParked` is on the projection's path, so it is a key lookup. */
export class ParkedAggregatesHazelcast implements ParkedAggregates {
  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<string, HazelcastJsonValue>,
  ) {}

  static async create(connection: HazelcastConnection, name: string): Promise<ParkedAggregatesHazelcast> {
    return new ParkedAggregatesHazelcast(connection, await connection.client.getMap(name));
  }

  async park(entry: ParkedAggregate): Promise<void> {
    await this.connection.call('park view', () => this.map.set(key(entry.projection, entry.aggregateId), toJsonValue(entry)));
  }

  async isParked(projection: string, aggregateId: string): Promise<boolean> {
    return this.connection.call('check parked', () => this.map.containsKey(key(projection, aggregateId)));
  }

  async get(projection: string, aggregateId: string): Promise<ParkedAggregate | undefined> {
    return fromJsonValue<ParkedAggregate>(await this.connection.call('get parked', () => this.map.get(key(projection, aggregateId))));
  }

  async list(limit: number): Promise<readonly ParkedAggregate[]> {
    const values = await this.connection.call('list parked', () => this.map.values());
    const found: ParkedAggregate[] = [];
    for (const value of values) {
      if (found.length >= limit) break;
      found.push(fromJsonValue<ParkedAggregate>(value)!);
    }
    return found.sort((a, b) => a.parkedAt.localeCompare(b.parkedAt));
  }

  async remove(projection: string, aggregateId: string): Promise<void> {
    await this.connection.call('unpark view', () => this.map.delete(key(projection, aggregateId)));
  }
}

const key = (projection: string, aggregateId: string): string => `${projection}/${aggregateId}`;
