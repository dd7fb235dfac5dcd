import type { BackendPorts } from './ports/backend-ports.js';
import type { BackendDescription } from './ports/backend-inspection.port.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { Generations } from '../domain/ports/read-model-generations.port.js';
import { PROJECTION_NAMES, type ProjectionName } from '../domain/ports/read-model-generations.port.js';
import type { ParkedAggregate } from '../domain/ports/parked-aggregates.port.js';
import type { AccountView, TransferView } from '../domain/ports/read-model.port.js';
import type { AggregateType } from '../domain/shared/event-envelope.js';
import { DomainError } from '../domain/shared/domain-error.js';
import type { ProjectionDispatcher } from './projections/projection-dispatcher.js';
import { CHECKPOINT_NAME, leaseKey, type ProjectionRunner } from './projections/projection-runner.js';
import type { ProjectionRebuilder, RebuildStatus } from './read-model/projection-rebuilder.js';
import type { ReadModel } from './read-model/read-model.js';

export interface ShardOverview {
  readonly shard: number;
  /** The instance that holds the shard's lease; absent while nobody does. */
  readonly owner?: string;
  readonly ownedHere: boolean;
  readonly checkpoint: number;
  readonly head: number;
  readonly lagEvents: number;
  /** Known to the shard's owner only: absent on another instance while the shard lags. */
  readonly lagSeconds?: number;
  readonly overruns?: number;
  readonly lastError?: string;
}

export interface ProjectionOverview {
  readonly name: ProjectionName;
  readonly applied: number;
  readonly duplicates: number;
  readonly parked: number;
  readonly generations: Generations;
  /** The last rebuild this instance ran. */
  readonly rebuild?: RebuildStatus;
}

export interface ProjectionsOverview {
  readonly running: boolean;
  /** The shard that lags most first. */
  readonly shards: readonly ShardOverview[];
  readonly projections: readonly ProjectionOverview[];
}

export interface ClusterOverview {
  readonly connected: boolean;
  readonly detail?: string;
  readonly connectionEpoch: number;
  readonly backend?: BackendDescription;
  /** Why the backend could not be described now. */
  readonly error?: string;
}

export interface RecentEvent {
  readonly shard: number;
  readonly sequence: number;
  readonly eventType: string;
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  readonly version: number;
  readonly timestamp: string;
}

export interface StreamEvent {
  readonly version: number;
  readonly eventType: string;
  readonly timestamp: string;
  readonly data: unknown;
}

export interface Lookup {
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  /** The version of the stream's last event: what the view should be at. */
  readonly streamVersion: number;
  /** 0 while there is no view. */
  readonly viewVersion: number;
  /** The stream's newest events, oldest first (at most LOOKUP_EVENTS of them). */
  readonly events: readonly StreamEvent[];
  readonly view?: AccountView | TransferView;
  readonly parked?: ParkedAggregate;
}

/** How many of a stream's newest events a lookup shows. */
export const LOOKUP_EVENTS = 200;

/**
 * What an operator looks at, read from the ports and from this instance's own projection state:
 * who projects each shard and how far behind, the backend, the newest events, and one aggregate's
 * stream beside its view. Nothing here changes anything.
 */
export class Inspection {
  constructor(
    private readonly ports: BackendPorts,
    private readonly runner: ProjectionRunner,
    private readonly dispatcher: ProjectionDispatcher,
    private readonly rebuilder: ProjectionRebuilder,
    private readonly readModel: ReadModel,
    private readonly clock: Clock,
    readonly instance: string,
  ) {}

  async projections(): Promise<ProjectionsOverview> {
    const local = this.runner.status();
    const shards = await Promise.all(
      Array.from({ length: this.ports.feed.shardCount }, async (_, shard): Promise<ShardOverview> => {
        const mine = local[shard];
        const [owner, stored, next] = await Promise.all([
          this.ports.leases.holder(leaseKey(shard)),
          this.ports.checkpoints.get(CHECKPOINT_NAME, shard),
          this.ports.feed.nextSequence(shard),
        ]);
        const ownedHere = mine?.owned === true;
        // The owner's checkpoint in memory runs ahead of the one it saves (at most once a second).
        const checkpoint = ownedHere ? mine.checkpoint : (stored?.sequence ?? 0);
        const head = Math.max(next, ownedHere ? mine.headSequence : 0);
        const lagEvents = Math.max(0, head - checkpoint);
        const lagSeconds = ownedHere ? mine.lagSeconds : lagEvents === 0 ? 0 : undefined;
        return {
          shard,
          ...(owner === undefined ? {} : { owner }),
          ownedHere,
          checkpoint,
          head,
          lagEvents,
          ...(lagSeconds === undefined ? {} : { lagSeconds }),
          ...(ownedHere ? { overruns: mine.overruns } : {}),
          ...(ownedHere && mine.lastError !== undefined ? { lastError: mine.lastError } : {}),
        };
      }),
    );
    shards.sort((a, b) => b.lagEvents - a.lagEvents || (b.lagSeconds ?? 0) - (a.lagSeconds ?? 0) || a.shard - b.shard);
    const projections = await Promise.all(
      PROJECTION_NAMES.map(async (name): Promise<ProjectionOverview> => {
        const rebuild = this.rebuilder.status(name);
        return {
          name,
          ...this.dispatcher.countersOf(name),
          generations: await this.ports.generations.state(name),
          ...(rebuild ? { rebuild } : {}),
        };
      }),
    );
    return { running: this.runner.running, shards, projections };
  }

  async cluster(): Promise<ClusterOverview> {
    const status = this.ports.status.check();
    const base = {
      connected: status.connected,
      ...(status.detail === undefined ? {} : { detail: status.detail }),
      connectionEpoch: this.ports.status.connectionEpoch(),
    };
    try {
      return { ...base, backend: await this.ports.inspection.describe() };
    } catch (error) {
      return { ...base, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The newest published events of every shard, newest first. */
  async recentEvents(limit: number): Promise<readonly RecentEvent[]> {
    const items = await this.ports.inspection.newest(limit);
    return items
      .map(({ shard, sequence, event }) => ({
        shard,
        sequence,
        eventType: event.eventType,
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        version: event.version,
        timestamp: event.timestamp,
      }))
      .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || b.sequence - a.sequence || b.shard - a.shard)
      .slice(0, limit);
  }

  /** An aggregate's stream and its view side by side; not found when neither exists. */
  async lookup(aggregateType: AggregateType, aggregateId: string): Promise<Lookup> {
    const views = aggregateType === 'account' ? this.readModel.accountViews : this.readModel.transferViews;
    const projection = aggregateType === 'account' ? 'accounts' : 'transfers';
    const view = await views.get(aggregateId, { fresh: true });
    // Read from a little before the view: a long stream is not read whole, a lagging view still shows its gap.
    const from = Math.max(1, (view?.version ?? 0) - LOOKUP_EVENTS / 2);
    let events = await this.ports.eventLog.read(aggregateType, aggregateId, from);
    if (events.length === 0 && from > 1) events = await this.ports.eventLog.read(aggregateType, aggregateId, 1);
    if (events.length === 0 && !view) {
      throw new DomainError(aggregateType === 'account' ? 'ACCOUNT.NOT_FOUND' : 'TRANSFER.NOT_FOUND', `no ${aggregateType} ${aggregateId}`);
    }
    const parked = await this.ports.parked.get(projection, aggregateId);
    return {
      aggregateType,
      aggregateId,
      streamVersion: events.at(-1)?.version ?? 0,
      viewVersion: view?.version ?? 0,
      events: events.slice(-LOOKUP_EVENTS).map(({ version, eventType, timestamp, data }) => ({ version, eventType, timestamp, data })),
      ...(view ? { view } : {}),
      ...(parked ? { parked } : {}),
    };
  }

  /** Now, on the application's clock: when a console's answer was made. */
  now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
