import { activeGenerations, earliestMark, sameGenerations, watermarkKey, type FlushedViews, type PersistedWatermark } from '../../domain/ports/persisted-watermark.port.js';
import { PROJECTION_NAMES, type ReadModelGenerations } from '../../domain/ports/read-model-generations.port.js';

/**
 * In this process's memory, views and watermark alike: a flush has nothing to store. Kept per
 * projection and generation, as the members keep it, so that a rebuilt generation starts without one.
 */
export class PersistedWatermarkInMemory implements PersistedWatermark {
  private readonly saved = new Map<string, number>();

  constructor(private readonly generations: ReadModelGenerations) {}

  async get(): Promise<number | undefined> {
    const flushed = await activeGenerations(this.generations);
    const marks = PROJECTION_NAMES.map((projection) => this.saved.get(watermarkKey(projection, flushed.generations[projection])));
    return earliestMark(marks);
  }

  flush(): Promise<FlushedViews> {
    return activeGenerations(this.generations);
  }

  async save(watermarkMs: number, flushed: FlushedViews): Promise<boolean> {
    if (!sameGenerations(await activeGenerations(this.generations), flushed)) return false;
    for (const projection of PROJECTION_NAMES) this.saved.set(watermarkKey(projection, flushed.generations[projection]), watermarkMs);
    return true;
  }
}
