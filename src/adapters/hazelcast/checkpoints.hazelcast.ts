import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { Checkpoint, Checkpoints } from '../../domain/ports/checkpoints.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

/** Checkpoints in an IMap: one entry per (reader, shard), written only by the shard's lease holder. */
export class CheckpointsHazelcast implements Checkpoints {
  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<string, HazelcastJsonValue>,
  ) {}

  static async create(connection: HazelcastConnection, name: string): Promise<CheckpointsHazelcast> {
    return new CheckpointsHazelcast(connection, await connection.client.getMap(name));
  }

  async get(name: string, shard: number): Promise<Checkpoint | undefined> {
    return fromJsonValue<Checkpoint>(await this.connection.call('get checkpoint', () => this.map.get(`${name}/${shard}`)));
  }

  async save(name: string, shard: number, checkpoint: Checkpoint): Promise<void> {
    await this.connection.call('save checkpoint', () => this.map.set(`${name}/${shard}`, toJsonValue(checkpoint)));
  }
}
