import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import {
  activeGenerations,
  earliestMark,
  sameGenerations,
  watermarkKey,
  type FlushedViews,
  type PersistedWatermark,
} from '../../domain/ports/persisted-watermark.port.js';
import { PROJECTION_NAMES, type ReadModelGenerations } from '../../domain/ports/read-model-generations.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';
import { generationMaps } from './names.js';

interface Saved {
  readonly watermarkMs: number;
}

/**
 * The watermark in `<ns>.watermarks`, which the members write through to PostgreSQL, one entry per
 * projection and generation (ADR 0050). `flush` is `IMap.flush` on each view map of the active
 * generations: the members store every entry written behind and still queued, and the call returns
 * when PostgreSQL took them. Without a map store (persistence off) both maps live and die with the
 * cluster, and `get` finds nothing after a full restart, as the checkpoints.
 */
export class PersistedWatermarkHazelcast implements PersistedWatermark {
  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly namespace: string,
    private readonly generations: ReadModelGenerations,
    private readonly watermarks: IMap<string, HazelcastJsonValue>,
  ) {}

  static async create(connection: HazelcastConnection, namespace: string, generations: ReadModelGenerations): Promise<PersistedWatermarkHazelcast> {
    return new PersistedWatermarkHazelcast(connection, namespace, generations, await connection.client.getMap(`${namespace}.watermarks`));
  }

  async get(): Promise<number | undefined> {
    const active = await activeGenerations(this.generations);
    const marks = await Promise.all(
      PROJECTION_NAMES.map(async (projection) => {
        const stored = await this.connection.call('get persisted watermark', () => this.watermarks.get(watermarkKey(projection, active.generations[projection])));
        return fromJsonValue<Saved>(stored)?.watermarkMs;
      }),
    );
    return earliestMark(marks);
  }

  async flush(): Promise<FlushedViews> {
    const active = await activeGenerations(this.generations);
    for (const projection of PROJECTION_NAMES) {
      for (const name of generationMaps(this.namespace, projection, active.generations[projection])) {
        const map = await this.connection.client.getMap(name);
        await this.connection.call('store views', () => map.flush());
      }
    }
    return active;
  }

  async save(watermarkMs: number, flushed: FlushedViews): Promise<boolean> {
    if (!sameGenerations(await activeGenerations(this.generations), flushed)) return false;
    const saved = toJsonValue({ watermarkMs } satisfies Saved);
    for (const projection of PROJECTION_NAMES) {
      const key = watermarkKey(projection, flushed.generations[projection]);
      await this.connection.call('save persisted watermark', () => this.watermarks.set(key, saved));
    }
    return true;
  }
}
