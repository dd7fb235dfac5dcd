import type { AggregateType, DecidedEvent, EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { Decider } from '../../domain/shared/decider.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { Snapshot, SnapshotStore } from '../../domain/ports/snapshot-store.port.js';

export interface Loaded<S> extends Snapshot<S> {
  readonly aggregateId: string;
}

/**
 * Loads an aggregate from its snapshot and, when asked, from the log after it. The snapshot may lag
 * the log (a process can die between appending and saving it): an append conflict is the signal to
 * catch up from the log.
 */
export class AggregateRepository<S, E extends DecidedEvent> {
  constructor(
    private readonly aggregateType: AggregateType,
    private readonly log: EventLog,
    private readonly snapshots: SnapshotStore<S>,
    /** The aggregate's initial state and evolution: what folding its stream needs of its decider. */
    private readonly decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>,
    /**
     * Save a snapshot once the stored one is this many versions behind, not after every event: the
     * log is the arbiter and a load reads the events after the snapshot in one call. 1 for an
     * aggregate whose readers take the snapshot as it is (transfers: ADR 0007).
     */
    readonly snapshotEvery = 1,
  ) {
    if (!Number.isSafeInteger(snapshotEvery) || snapshotEvery < 1) throw new RangeError(`snapshotEvery must be a positive integer (got ${snapshotEvery})`);
  }

  /** Whether `next` is to be saved, when the store holds `storedVersion`. */
  isDue(next: Loaded<S>, storedVersion: number): boolean {
    return next.version - storedVersion >= this.snapshotEvery;
  }

  /** The aggregate before its first event, as if its stream were empty (nothing is read). */
  empty(aggregateId: string): Loaded<S> {
    return { aggregateId, state: this.decider.initialState, version: 0 };
  }

  async load(aggregateId: string): Promise<Loaded<S>> {
    const snapshot = await this.snapshots.get(aggregateId);
    if (snapshot) return { aggregateId, ...snapshot };
    return this.catchUp(this.empty(aggregateId));
  }

  /** Applies whatever the log holds after `loaded.version`. */
  async catchUp(loaded: Loaded<S>): Promise<Loaded<S>> {
    const events = await this.log.read(this.aggregateType, loaded.aggregateId, loaded.version + 1);
    return this.fold(loaded, events);
  }

  fold(loaded: Loaded<S>, events: readonly EventEnvelope[]): Loaded<S> {
    let { state, version } = loaded;
    for (const event of events) {
      if (event.version !== version + 1) throw new Error(`stream ${loaded.aggregateId} skips from ${version} to ${event.version}`);
      state = this.decider.evolve(state, event as unknown as E, event.version);
      version = event.version;
    }
    return { aggregateId: loaded.aggregateId, state, version };
  }

  /** Saves `loaded`; `previous` is the snapshot it was decided on, when it came from the store. */
  async save(loaded: Loaded<S>, previous?: Loaded<S>): Promise<void> {
    await this.snapshots.saveIfNewer(
      loaded.aggregateId,
      { state: loaded.state, version: loaded.version },
      previous && previous.version > 0 ? { state: previous.state, version: previous.version } : undefined,
    );
  }
}
