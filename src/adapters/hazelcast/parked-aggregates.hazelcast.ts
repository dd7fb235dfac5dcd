import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { ParkedAggregate, ParkedAggregates } from '../../domain/ports/parked-aggregates.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';
import { KeySetMirror } from './key-set-mirror.js';

/**
 * The dead-letter map of views. Small by nature, and `isParked` is asked for every event a
 * projection applies: it is answered from a mirror of the map's keys in this process, kept by an
 * entry listener, instead of a round trip each time.
 *
 * An unpark (or a park) by another process reaches the mirror when its entry event arrives, so for
 * that short while this process may still skip an aggregate's event, or apply one. Both are
 * harmless. A skipped event leaves the view behind, never wrong: the process that unparked caught
 * the view up itself (`ProjectionDispatcher.retry`), the reconciler hands the projections every
 * event again once it is a few seconds old, and the next event of the aggregate fills the gap
 * from the log. An applied event goes through the usual compare-and-set on the view's version and
 * parks the aggregate again if it still cannot be applied.
 */
export class ParkedAggregatesHazelcast implements ParkedAggregates {
  private readonly mirror: KeySetMirror;

  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<string, HazelcastJsonValue>,
  ) {
    this.mirror = new KeySetMirror(connection, map, 'check parked');
  }

  static async create(connection: HazelcastConnection, name: string): Promise<ParkedAggregatesHazelcast> {
    return new ParkedAggregatesHazelcast(connection, await connection.client.getMap(name));
  }

  async park(entry: ParkedAggregate): Promise<void> {
    const parked = key(entry.projection, entry.aggregateId);
    await this.mirror.write(parked, async () => {
      await this.connection.call('park view', () => this.map.set(parked, toJsonValue(entry)));
      return true;
    });
  }

  isParked(projection: string, aggregateId: string): Promise<boolean> {
    return this.mirror.has(key(projection, aggregateId));
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
    const parked = key(projection, aggregateId);
    // `remove` answers the old value: none, and no entry event follows.
    await this.mirror.write(parked, async () => (await this.connection.call('unpark view', () => this.map.remove(parked))) != null);
  }
}

const key = (projection: string, aggregateId: string): string => `${projection}/${aggregateId}`;
