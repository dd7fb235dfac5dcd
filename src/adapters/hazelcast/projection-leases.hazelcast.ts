import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { ProjectionLeases } from '../../domain/ports/projection-leases.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

interface Lease {
  readonly owner: string;
  readonly untilMs: number;
}

/**
 * Leases in an IMap, taken and renewed by compare-and-set (no IMap locks: their owner is the client,
 * not the async task). Expiry is judged by `untilMs`; the entry's own TTL only clears abandoned keys.
 */
export class ProjectionLeasesHazelcast implements ProjectionLeases {
  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<string, HazelcastJsonValue>,
    private readonly clock: Clock,
  ) {}

  static async create(connection: HazelcastConnection, name: string, clock: Clock): Promise<ProjectionLeasesHazelcast> {
    return new ProjectionLeasesHazelcast(connection, await connection.client.getMap(name), clock);
  }

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const next = toJsonValue({ owner, untilMs: now + ttlMs } satisfies Lease);
    const stored = await this.connection.call('get lease', () => this.map.get(key));
    if (stored === null || stored === undefined) {
      const previous = await this.connection.call('take lease', () => this.map.putIfAbsent(key, next, ttlMs * 3));
      return previous === null || previous === undefined;
    }
    const lease = fromJsonValue<Lease>(stored)!;
    if (lease.owner !== owner && lease.untilMs > now) return false;
    const replaced = await this.connection.call('renew lease', () => this.map.replaceIfSame(key, stored, next));
    if (replaced) await this.connection.call('renew lease', () => this.map.setTtl(key, ttlMs * 3));
    return replaced;
  }

  async release(key: string, owner: string): Promise<void> {
    const stored = await this.connection.call('get lease', () => this.map.get(key));
    if (stored === null || stored === undefined || fromJsonValue<Lease>(stored)!.owner !== owner) return;
    await this.connection.call('release lease', () => this.map.remove(key, stored));
  }

  async holder(key: string): Promise<string | undefined> {
    const stored = await this.connection.call('get lease', () => this.map.get(key));
    const lease = stored === null || stored === undefined ? undefined : fromJsonValue<Lease>(stored)!;
    return lease && lease.untilMs > this.clock.now() ? lease.owner : undefined;
  }
}
