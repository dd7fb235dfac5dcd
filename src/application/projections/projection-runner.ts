import type { Checkpoint, Checkpoints } from '../../domain/ports/checkpoints.port.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { EventFeed } from '../../domain/ports/event-bus.port.js';
import type { ProjectionLeases } from '../../domain/ports/projection-leases.port.js';
import type { ShardRecovery } from '../ports/shard-recovery.port.js';
import type { Logger } from '../ports/logger.port.js';
import { wakeablePause } from '../../support/wakeable-pause.js';
import { dispatchByAggregate } from './by-aggregate.js';
import type { ProjectionDispatcher } from './projection-dispatcher.js';

export interface ProjectionRunnerOptions {
  readonly ownerId: string;
  readonly batchSize: number;
  readonly readWaitMs: number;
  readonly leaseTtlMs: number;
  /** How far before the checkpoint's event time a recovery scan starts (clock skew between writers). */
  readonly recoveryOverlapMs: number;
  /** How many aggregates of a batch are projected side by side (each one's events in order). */
  readonly parallelAggregates: number;
  /**
   * While events flow, a shard's checkpoint is saved at most this often (and when the shard goes
   * idle, and when the runner stops): a checkpoint that lags only makes the next owner skip a few
   * duplicates again.
   */
  readonly checkpointEveryMs: number;
}

export interface ShardStatus {
  readonly shard: number;
  readonly owned: boolean;
  readonly checkpoint: number;
  readonly headSequence: number;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly overruns: number;
  readonly lastError?: string;
}

interface ShardState {
  owned: boolean;
  /** Until then the lease is held without asking again (a third of its time to live after it was taken). */
  renewAtMs?: number;
  checkpoint?: Checkpoint;
  /** The checkpoint last saved, and when: the one in memory may be ahead of it. */
  saved?: { readonly sequence: number; readonly atMs: number };
  head: number;
  /** Time of the oldest event not yet handled, when one is known. */
  oldestUnhandledMs?: number;
  overruns: number;
  lastError?: string;
}

export const CHECKPOINT_NAME = 'projections';

/**
 * One reader per shard: reads the shard's buffer from its checkpoint, dispatches each event, then
 * saves the checkpoint. It runs only while it holds the shard's lease, so one process projects a
 * shard at a time; a reader that fell off the buffer recovers the lost events from the log.
 */
export class ProjectionRunner {
  private readonly shards: ShardState[];
  private readonly loops: Promise<void>[] = [];
  private stopped = true;
  private readonly wakeups = new Set<() => void>();

  constructor(
    private readonly feed: EventFeed,
    private readonly checkpoints: Checkpoints,
    private readonly leases: ProjectionLeases,
    private readonly dispatcher: ProjectionDispatcher,
    private readonly recovery: ShardRecovery,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.shards = Array.from({ length: feed.shardCount }, () => ({ owned: false, head: 0, overruns: 0 }));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (let shard = 0; shard < this.shards.length; shard++) this.loops.push(this.loop(shard));
  }

  /** Stops reading, waits for the batches in hand to finish, and gives the leases back. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakeups) wake();
    await Promise.allSettled(this.loops.splice(0));
    // The next owner starts where this one ended, not where it last saved.
    await Promise.allSettled(this.shards.map((state, shard) => (state.owned ? this.saveCheckpoint(shard, state, true) : undefined)));
    await Promise.allSettled(this.shards.map((_, shard) => this.leases.release(leaseKey(shard), this.options.ownerId)));
    for (const state of this.shards) {
      state.owned = false;
      delete state.renewAtMs;
    }
  }

  get running(): boolean {
    return !this.stopped;
  }

  status(): readonly ShardStatus[] {
    const now = this.clock.now();
    return this.shards.map((state, shard) => {
      const checkpoint = state.checkpoint?.sequence ?? 0;
      const lagEvents = Math.max(0, state.head - checkpoint);
      return {
        shard,
        owned: state.owned,
        checkpoint,
        headSequence: state.head,
        lagEvents,
        lagSeconds: lagEvents > 0 && state.oldestUnhandledMs !== undefined ? Math.max(0, now - state.oldestUnhandledMs) / 1000 : 0,
        overruns: state.overruns,
        ...(state.lastError === undefined ? {} : { lastError: state.lastError }),
      };
    });
  }

  private async loop(shard: number): Promise<void> {
    const state = this.shards[shard]!;
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.step(shard, state);
        failures = 0;
        delete state.lastError;
      } catch (error) {
        failures++;
        // After a failure (the cluster may have restarted and lost the lease) ask again before reading.
        delete state.renewAtMs;
        state.lastError = error instanceof Error ? error.message : String(error);
        this.logger.error({ shard, err: error }, 'projection shard failed; retrying the same batch');
        await this.pause(Math.min(100 * 2 ** Math.min(failures, 6), 5_000));
      }
    }
  }

  /**
   * Whether this process holds the shard's lease. A lease taken or renewed at time t is valid until
   * t + ttl, so it is renewed only once a third of that has passed, not before every batch (three
   * calls to the cluster each time). The time is read before asking, so the renewal point is never
   * later than the lease's true start plus a third. Views are written by compare-and-set, so even a
   * lease lost meanwhile (a cluster restart emptied the map) costs duplicate work, never a wrong view.
   */
  private async holdsLease(shard: number, state: ShardState): Promise<boolean> {
    const now = this.clock.now();
    if (state.owned && state.renewAtMs !== undefined && now < state.renewAtMs) return true;
    const owns = await this.leases.acquire(leaseKey(shard), this.options.ownerId, this.options.leaseTtlMs);
    if (owns) state.renewAtMs = now + this.options.leaseTtlMs / 3;
    else delete state.renewAtMs;
    return owns;
  }

  private async step(shard: number, state: ShardState): Promise<void> {
    if (!(await this.holdsLease(shard, state))) {
      state.owned = false;
      state.head = await this.feed.nextSequence(shard);
      await this.pause(this.options.leaseTtlMs / 3);
      return;
    }
    if (!state.owned || !state.checkpoint) {
      // Newly owned: another process may have moved the checkpoint meanwhile.
      state.checkpoint = (await this.checkpoints.get(CHECKPOINT_NAME, shard)) ?? { sequence: 0, eventTimeMs: 0 };
      state.saved = { sequence: state.checkpoint.sequence, atMs: this.clock.now() };
      state.owned = true;
    }
    const checkpoint = state.checkpoint;
    const batch = await this.feed.read(shard, checkpoint.sequence, this.options.batchSize, this.options.readWaitMs);
    if (this.stopped && batch.items.length === 0) return;
    if (batch.overrun) {
      state.overruns++;
      const fromMs = checkpoint.eventTimeMs - this.options.recoveryOverlapMs;
      this.logger.warn({ shard, from: checkpoint.sequence, oldest: batch.overrun.oldestSequence }, 'projection fell off the buffer; recovering from the log');
      await this.recovery.recoverShard(shard, fromMs);
    }
    let eventTimeMs = checkpoint.eventTimeMs;
    state.head = Math.max(state.head, batch.nextSequence);
    state.oldestUnhandledMs = batch.items[0] ? Date.parse(batch.items[0].event.timestamp) : undefined;
    await dispatchByAggregate(
      batch.items.map((item) => item.event),
      (event) => this.dispatcher.dispatch(event),
      this.options.parallelAggregates,
    );
    for (const item of batch.items) eventTimeMs = Math.max(eventTimeMs, Date.parse(item.event.timestamp));
    if (batch.nextSequence !== checkpoint.sequence) state.checkpoint = { sequence: batch.nextSequence, eventTimeMs };
    await this.saveCheckpoint(shard, state, batch.items.length === 0);
    if (batch.items.length === 0) state.head = Math.max(state.head, await this.feed.nextSequence(shard));
  }

  /** Saves the shard's checkpoint when it moved since the last save, and it is time (or `now`). */
  private async saveCheckpoint(shard: number, state: ShardState, now: boolean): Promise<void> {
    const checkpoint = state.checkpoint;
    if (!checkpoint || checkpoint.sequence === state.saved?.sequence) return;
    const atMs = this.clock.now();
    if (!now && state.saved && atMs - state.saved.atMs < this.options.checkpointEveryMs) return;
    await this.checkpoints.save(CHECKPOINT_NAME, shard, checkpoint);
    state.saved = { sequence: checkpoint.sequence, atMs };
  }

  private pause(ms: number): Promise<void> {
    return wakeablePause(ms, this.wakeups);
  }
}

export const leaseKey = (shard: number): string => `projections/shard-${shard}`;
