import { ApplicationError } from '../ports/application-error.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { AggregateType } from '../../domain/shared/event-envelope.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { ProjectionName, ReadModelGenerations } from '../../domain/ports/read-model-generations.port.js';
import { PROJECTION_NAMES } from '../../domain/ports/read-model-generations.port.js';
import type { Projection } from '../projections/projection.js';
import type { ProjectionDispatcher } from '../projections/projection-dispatcher.js';
import type { Logger } from '../ports/logger.port.js';
import { newestPerStream } from '../projections/newest-per-stream.js';
import { forEachRecordedPage, forEachStreamBatch, STREAM_BATCHES_IN_FLIGHT } from '../projections/recorded-pages.js';
import type { ReadModel } from './read-model.js';

export interface RebuildStatus {
  readonly projection: ProjectionName;
  readonly generation: number;
  readonly state: 'running' | 'completed' | 'failed';
  /** Events of the projection's aggregate type in the log when the rebuild started: what the replay goes through. */
  readonly total: number;
  readonly replayed: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly eventsPerSecond: number;
  readonly etaSeconds?: number;
  readonly error?: string;
}

export interface RebuildOptions {
  /** Events per page of the log. */
  readonly windowLimit: number;
  /** How far before the replay's start the final catch-up looks again (clock skew between writers). */
  readonly overlapMs: number;
}

/**
 * Rebuilds a projection from the event log into a fresh generation of its stores while queries keep
 * reading the active one; live events go to both meanwhile. When the replay is done the new
 * generation becomes active everywhere; the one before it is kept until the next rebuild.
 */
export class ProjectionRebuilder {
  private readonly statuses = new Map<ProjectionName, RebuildStatus>();
  private readonly runs = new Map<ProjectionName, Promise<RebuildStatus>>();

  constructor(
    private readonly log: EventLog,
    private readonly dispatcher: ProjectionDispatcher,
    private readonly readModel: ReadModel,
    private readonly generations: ReadModelGenerations,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: RebuildOptions,
  ) {}

  static isProjection(name: string): name is ProjectionName {
    return (PROJECTION_NAMES as readonly string[]).includes(name);
  }

  status(projection: ProjectionName): RebuildStatus | undefined {
    return this.statuses.get(projection);
  }

  /** Starts a rebuild in the background; `force` takes over one a dead process left half done. */
  async start(projection: ProjectionName, options: { readonly force?: boolean } = {}): Promise<RebuildStatus> {
    const begun = await this.begin(projection, options.force ?? false);
    const run = this.replay(projection, begun).finally(() => this.runs.delete(projection));
    this.runs.set(projection, run);
    run.catch(() => undefined);
    return this.statuses.get(projection)!;
  }

  /** Rebuilds and resolves when the new generation is active (or the rebuild failed). */
  async rebuild(projection: ProjectionName, options: { readonly force?: boolean } = {}): Promise<RebuildStatus> {
    await this.start(projection, options);
    return this.runs.get(projection) ?? this.statuses.get(projection)!;
  }

  /** Waits for the rebuilds running in this process. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.runs.values()]);
  }

  private async begin(projection: ProjectionName, force: boolean): Promise<{ generation: number; previous: number }> {
    if (this.runs.has(projection)) throw running(projection);
    const state = await this.generations.state(projection);
    if (state.building !== undefined && !force) throw running(projection);
    const generation = Math.max(state.active, state.building ?? 0) + 1;
    // The generation before the active one is dropped now; the active one stays until the next rebuild.
    for (const old of [state.building, state.active - 1]) {
      if (old !== undefined && old >= 0 && old !== state.active) await this.generations.drop(projection, old).catch(() => undefined);
    }
    if (!(await this.generations.compareAndSetState(projection, state, { active: state.active, building: generation }))) {
      throw running(projection);
    }
    await this.readModel.sync(projection);
    this.statuses.set(projection, {
      projection,
      generation,
      state: 'running',
      total: await this.log.count(aggregateTypeOf(projection)),
      replayed: 0,
      startedAt: new Date(this.clock.now()).toISOString(),
      eventsPerSecond: 0,
    });
    this.logger.info({ projection, generation }, 'rebuild started');
    return { generation, previous: state.active };
  }

  private async replay(projection: ProjectionName, run: { generation: number; previous: number }): Promise<RebuildStatus> {
    const startedMs = this.clock.now();
    try {
      const target = await this.readModel.projectionOf(projection, run.generation);
      await this.replayStreams(target);
      // Events recorded while the replay ran reached the new generation live, and a view the replay
      // raised over one of theirs went back (raiseAll is not a compare-and-set): look again at the edge.
      await this.scan(target, startedMs - this.options.overlapMs, this.clock.now() + 1);
      const activated = await this.generations.compareAndSetState(
        projection,
        { active: run.previous, building: run.generation },
        { active: run.generation },
      );
      if (!activated) throw new Error('the generation state was changed by another process during the rebuild');
      await this.readModel.sync(projection);
      this.update(projection, { state: 'completed', finishedAt: new Date(this.clock.now()).toISOString(), etaSeconds: 0 });
      this.logger.info({ projection, generation: run.generation }, 'rebuild completed; new generation active');
    } catch (error) {
      this.update(projection, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
      this.logger.error({ projection, err: error }, 'rebuild failed; the active generation is unchanged');
    }
    return this.statuses.get(projection)!;
  }

  /**
   * The whole log of the projection's type, stream by stream: each batch of streams folded in memory
   * and written in batches (ADR 0047). A stream the fold leaves alone goes the usual way: its last
   * event, whose gap the engine fills from the log (or parks).
   */
  private async replayStreams(target: Projection): Promise<void> {
    await forEachStreamBatch(this.log, target.aggregateType, this.options.windowLimit, async (streams, events) => {
      // A fresh generation: nothing to read before writing, and the scan below mends what live events raced.
      await this.dispatcher.handleLeft(target, await target.rebuild(streams, { fresh: true }));
      this.progress(target, events);
    }, STREAM_BATCHES_IN_FLIGHT);
  }

  /** Hands the newest event of each stream recorded in `[fromMs, toMs)` to the usual path. */
  private async scan(target: Projection, fromMs: number, toMs: number): Promise<void> {
    await forEachRecordedPage(this.log, fromMs, toMs, this.options.windowLimit, async (page) => {
      const newest = newestPerStream(page.filter((event) => event.aggregateType === target.aggregateType));
      for (const event of newest) await this.dispatcher.handleOne(target, event);
    });
  }

  private progress(target: Projection, replayed: number): void {
    const projection = target.name.split('@')[0] as ProjectionName;
    const status = this.statuses.get(projection);
    if (!status) return;
    const done = status.replayed + replayed;
    const seconds = Math.max(0.001, (this.clock.now() - Date.parse(status.startedAt)) / 1000);
    const eventsPerSecond = Math.round(done / seconds);
    this.update(projection, {
      replayed: done,
      eventsPerSecond,
      ...(eventsPerSecond > 0 ? { etaSeconds: Math.max(0, Math.round((status.total - done) / eventsPerSecond)) } : {}),
    });
  }

  private update(projection: ProjectionName, change: Partial<RebuildStatus>): void {
    const status = this.statuses.get(projection);
    if (status) this.statuses.set(projection, { ...status, ...change });
  }
}

const aggregateTypeOf = (projection: ProjectionName): AggregateType => (projection === 'accounts' ? 'account' : 'transfer');

const running = (projection: ProjectionName): ApplicationError =>
  new ApplicationError('PROJECTION.REBUILD_RUNNING', `a rebuild of ${projection} is running already`);


