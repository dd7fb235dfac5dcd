import { PROJECTION_NAMES, type ProjectionName, type ReadModelGenerations } from './read-model-generations.port.js';

/** What one flush stored: the generation of each projection whose views it stored. */
export interface FlushedViews {
  readonly generations: Readonly<Record<ProjectionName, number>>;
}

/**
 * The reconciler's watermark as it survives a full restart, with the views it vouches for (ADR
 * 0050). A backend that keeps the views only as long as the watermark in its checkpoints keeps
 * nothing here that outlives them: `get` then answers what was saved in the same life.
 *
 * The rule it keeps: every event recorded before a persisted watermark is in the persisted views of
 * the generations it was saved for. So the views are stored first (`flush`), then the watermark,
 * and only if the generations the flush stored are still the active ones.
 */
export interface PersistedWatermark {
  /** The watermark saved for the generations active now; undefined when any of them has none. */
  get(): Promise<number | undefined>;
  /** Stores every view of the active generations as it is now; resolves when they are stored. */
  flush(): Promise<FlushedViews>;
  /** Saves the watermark for the views `flushed` stored; false, saving nothing, when another generation became active since. */
  save(watermarkMs: number, flushed: FlushedViews): Promise<boolean>;
}

/** The active generation of every projection. */
export const activeGenerations = async (generations: ReadModelGenerations): Promise<FlushedViews> => {
  const [accounts, transfers] = await Promise.all(PROJECTION_NAMES.map((projection) => generations.state(projection)));
  return { generations: { accounts: accounts!.active, transfers: transfers!.active } };
};

export const sameGenerations = (a: FlushedViews, b: FlushedViews): boolean =>
  PROJECTION_NAMES.every((projection) => a.generations[projection] === b.generations[projection]);

/** One persisted watermark per projection and generation. */
export const watermarkKey = (projection: string, generation: number): string => `${projection}/g${generation}`;

/** The earliest of the projections' watermarks: undefined when any of them has none. */
export const earliestMark = (marks: readonly (number | undefined)[]): number | undefined =>
  marks.some((mark) => mark === undefined) ? undefined : Math.min(...(marks as number[]));
