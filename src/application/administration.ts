import { ApplicationError } from './ports/application-error.js';
import type { ParkedAggregate, ParkedAggregates } from '../domain/ports/parked-aggregates.port.js';
import { ProjectionRebuilder, type RebuildStatus } from './read-model/projection-rebuilder.js';
import type { ProjectionDispatcher } from './projections/projection-dispatcher.js';
import type { ProjectionRunner, ShardStatus } from './projections/projection-runner.js';

export interface ProjectionStatus {
  readonly name: string;
  readonly applied: number;
  readonly duplicates: number;
  readonly parked: number;
}

export interface Status {
  readonly running: boolean;
  readonly shards: readonly ShardStatus[];
  readonly projections: readonly ProjectionStatus[];
}

/** Operations on the read side: what runs where, and the aggregates parked by a projection. */
export class Administration {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly dispatcher: ProjectionDispatcher,
    private readonly parked: ParkedAggregates,
    private readonly rebuilder: ProjectionRebuilder,
  ) {}

  /** Starts rebuilding a projection from the event log; queries keep reading the active generation. */
  rebuild(projection: string, options: { readonly force?: boolean } = {}): Promise<RebuildStatus> {
    if (!ProjectionRebuilder.isProjection(projection)) throw notFound(projection);
    return this.rebuilder.start(projection, options);
  }

  /** The last rebuild of a projection that this process ran, if any. */
  rebuildStatus(projection: string): RebuildStatus | undefined {
    if (!ProjectionRebuilder.isProjection(projection)) throw notFound(projection);
    return this.rebuilder.status(projection);
  }

  status(): Status {
    return {
      running: this.runner.running,
      shards: this.runner.status(),
      projections: this.dispatcher.projections.map((p) => ({ name: p.name, ...this.dispatcher.countersOf(p.name) })),
    };
  }

  listParked(limit: number): Promise<readonly ParkedAggregate[]> {
    return this.parked.list(limit);
  }

  retryParked(projection: string, aggregateId: string): Promise<'caught-up' | 'parked-again' | 'not-parked'> {
    return this.dispatcher.retry(projection, aggregateId);
  }
}

const notFound = (projection: string): ApplicationError =>
  new ApplicationError('PROJECTION.NOT_FOUND', `no projection ${projection}; there are accounts and transfers`);
