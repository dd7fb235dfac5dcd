import type { AggregateType, EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { ParkedAggregate, ParkedAggregates } from '../../domain/ports/parked-aggregates.port.js';
import type { Logger } from '../ports/logger.port.js';
import { UnapplicableEventError } from './account-view.js';
import type { Projection } from './projection.js';
import { GapNotFillableError, ProjectionEngine, type HandleOutcome } from './projection-engine.js';

export interface ProjectionCounters {
  applied: number;
  duplicates: number;
  parked: number;
}

/**
 * Hands each event to every projection of its aggregate type. An event a projection cannot apply
 * parks that aggregate's view (reported, retried on demand) while every other aggregate flows on.
 */
export class ProjectionDispatcher {
  private readonly engine: ProjectionEngine;
  private readonly counters = new Map<string, ProjectionCounters>();
  /** Projections filling a generation that a rebuild is building, by the projection they will replace. */
  private readonly shadows = new Map<string, Projection>();
  /** Dispatches under way, and the gate that holds new ones while the projections are switched. */
  private inFlight = 0;
  private gate: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(
    private readonly log: EventLog,
    readonly projections: readonly Projection[],
    private readonly parked: ParkedAggregates,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.engine = new ProjectionEngine(log);
    for (const projection of projections) this.counters.set(projection.name, { applied: 0, duplicates: 0, parked: 0 });
  }

  /** Live events also go to `shadow` until it is removed (undefined). */
  setShadow(name: string, shadow: Projection | undefined): void {
    if (shadow) {
      this.shadows.set(name, shadow);
      if (!this.counters.has(shadow.name)) this.counters.set(shadow.name, { applied: 0, duplicates: 0, parked: 0 });
    } else {
      this.shadows.delete(name);
    }
  }

  async dispatch(event: EventEnvelope): Promise<void> {
    await this.admitted(async () => {
      for (const projection of [...this.projections, ...this.shadows.values()]) {
        if (projection.aggregateType !== event.aggregateType) continue;
        if (await this.parked.isParked(projection.name, event.aggregateId)) continue;
        await this.handle(projection, event);
      }
    });
  }

  /**
   * Runs `work` while no event is being applied, holding new ones back: a switch of the stores
   * under the projections never falls between reading a view and writing it (or its history).
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.gate) await this.gate;
    let open!: () => void;
    this.gate = new Promise((resolve) => (open = resolve));
    try {
      if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      return await work();
    } finally {
      this.gate = undefined;
      open();
    }
  }

  /** Applies one event to one projection, outside the live set: a rebuild's replay. */
  handleOne(projection: Projection, event: EventEnvelope): Promise<HandleOutcome | 'parked'> {
    this.countersFor(projection);
    return this.handle(projection, event);
  }

  private countersFor(projection: Projection): ProjectionCounters {
    let counters = this.counters.get(projection.name);
    if (!counters) this.counters.set(projection.name, (counters = { applied: 0, duplicates: 0, parked: 0 }));
    return counters;
  }

  /**
   * Folds whole streams (each from version 1) into the live projections of their type, as a
   * rebuild does (ADR 0047): histories written whole, views raised where they are older. A stream
   * the fold leaves alone (a gap, an event the view refuses) goes the usual way: its last event,
   * whose gap the engine fills from the log, or parks.
   */
  async fold(aggregateType: AggregateType, streams: readonly (readonly EventEnvelope[])[]): Promise<void> {
    if (streams.length === 0) return;
    const left = await this.admitted(async () => {
      const alone: [Projection, readonly (readonly EventEnvelope[])[]][] = [];
      for (const projection of this.projections) {
        if (projection.aggregateType !== aggregateType) continue;
        const left = await projection.rebuild(streams);
        // A stream folded counts as one application, as a stream caught up on the usual path does.
        this.countersFor(projection).applied += streams.length - left.length;
        alone.push([projection, left]);
      }
      return alone;
    });
    for (const [projection, streamsLeft] of left) await this.handleLeft(projection, streamsLeft);
  }

  /**
   * Streams a projection's fold left alone (a gap, an event the view refuses) go the usual way: the
   * last event of each, whose gap the engine fills from the log, or parks.
   */
  async handleLeft(projection: Projection, left: readonly (readonly EventEnvelope[])[]): Promise<void> {
    for (const stream of left) {
      const last = stream[stream.length - 1];
      if (last) await this.handleOne(projection, last);
    }
  }

  /** Brings one aggregate's view up to the end of its stream. */
  catchUp(projection: Projection, aggregateId: string): Promise<void> {
    return this.admitted(async () => {
      const current = await projection.load(aggregateId);
      const events = await this.log.read(projection.aggregateType, aggregateId, (current?.version ?? 0) + 1);
      const last = events[events.length - 1];
      if (last) await this.handle(projection, last);
    });
  }

  private async admitted<T>(work: () => Promise<T>): Promise<T> {
    while (this.gate) await this.gate;
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Unparks an aggregate and catches its view up; it parks again if the event still cannot be applied. */
  async retry(projectionName: string, aggregateId: string): Promise<'caught-up' | 'parked-again' | 'not-parked'> {
    const projection = this.projections.find((p) => p.name === projectionName);
    if (!projection || !(await this.parked.isParked(projectionName, aggregateId))) return 'not-parked';
    await this.parked.remove(projectionName, aggregateId);
    await this.catchUp(projection, aggregateId);
    return (await this.parked.isParked(projectionName, aggregateId)) ? 'parked-again' : 'caught-up';
  }

  countersOf(projectionName: string): Readonly<ProjectionCounters> {
    return this.counters.get(projectionName) ?? { applied: 0, duplicates: 0, parked: 0 };
  }

  private async handle(projection: Projection, event: EventEnvelope): Promise<HandleOutcome | 'parked'> {
    const counters = this.counters.get(projection.name)!;
    try {
      const outcome = await this.engine.handle(projection, event);
      if (outcome === 'applied') counters.applied++;
      if (outcome === 'duplicate') counters.duplicates++;
      return outcome;
    } catch (error) {
      if (!(error instanceof UnapplicableEventError || error instanceof GapNotFillableError)) throw error;
      const entry: ParkedAggregate = {
        projection: projection.name,
        aggregateType: projection.aggregateType,
        aggregateId: event.aggregateId,
        version: event.version,
        reason: error.message,
        parkedAt: new Date(this.clock.now()).toISOString(),
      };
      await this.parked.park(entry);
      await projection.markStale(event.aggregateId, { failedAt: event.version, reason: error.message });
      counters.parked++;
      this.logger.warn({ ...entry }, 'view parked: an event could not be applied');
      return 'parked';
    }
  }
}
