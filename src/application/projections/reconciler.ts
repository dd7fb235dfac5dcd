import { shardOf } from '../../domain/shared/shard.js';
import { AGGREGATE_TYPES, type EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { BackendStatus } from '../../domain/ports/backend-status.port.js';
import type { Checkpoints } from '../../domain/ports/checkpoints.port.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { PersistedWatermark } from '../../domain/ports/persisted-watermark.port.js';
import type { ProjectionLeases } from '../../domain/ports/projection-leases.port.js';
import type { TransferSnapshots } from '../../domain/ports/transfer-snapshots.port.js';
import type { Logger } from '../ports/logger.port.js';
import type { ProjectionDispatcher } from './projection-dispatcher.js';
import type { ShardRecovery } from '../ports/shard-recovery.port.js';
import type { TransferResumer } from '../ports/transfer-resumer.port.js';
import { newestPerStream } from './newest-per-stream.js';
import { forEachRecordedPage, forEachStreamBatch, STREAM_BATCHES_IN_FLIGHT } from './recorded-pages.js';
import { within } from '../../support/within.js';

export interface ReconcilerOptions {
  readonly ownerId: string;
  readonly intervalMs: number;
  /** Events younger than this are left to the live feed; older ones must be in the views. */
  readonly graceMs: number;
  /** How far back each sweep looks again before its watermark (clock skew between writers). */
  readonly overlapMs: number;
  /** Events per page of the log (and transfers per look for pending ones). */
  readonly windowLimit: number;
  readonly leaseTtlMs: number;
  readonly shardCount: number;
  /**
   * After the backend's membership changed, how long every sweep still looks back to the last
   * watermark before the change (default 60 s after the latest change): events can enter the log
   * later than they were recorded, through the merge after a split brain (ADR 0035).
   */
  readonly settleMs?: number;
  /**
   * How long after a change began it may be noticed (default 60 s, Hazelcast's
   * `hazelcast.max.no.heartbeat.seconds`): the other side of a split may have appended from the
   * moment of the cut, and the sweeps read the log again from that long before the change was noticed.
   */
  readonly detectionMs?: number;
  /**
   * The longest a sweep waits for the members to store the views before it saves the persisted
   * watermark (default 30 s). Past it the watermark is left as it was: while PostgreSQL is away the
   * members retry their stores without end, and a flush waits with them.
   */
  readonly persistTimeoutMs?: number;
}

export interface SweepReport {
  /** Events read by time and handed to the usual path. */
  readonly scanned: number;
  /** Events folded stream by stream: the whole log, when a replay found no watermark (ADR 0053). */
  readonly folded: number;
  readonly resumedTransfers: number;
}

/**
 * The checkpoint of the newest sweep in this cluster. Lost with the cluster (it is not persisted), so
 * its absence means the views may lack any event since the persisted watermark (ADR 0050), or, when
 * there is none, any event of the log: the next sweep replays from there (ADR 0030).
 */
export const RECONCILER_WATERMARK = 'reconciler';
const WATERMARK = RECONCILER_WATERMARK;
const LEASE = 'reconciler';

/**
 * The safety net behind publication. An event appended by a process that died before publishing
 * it, or published onto a buffer that overwrote it unread, is still in the log: every sweep reads
 * the log for the events recorded since its watermark and hands them to the projections, which
 * skip what they hold already. It also resumes transfers whose process was interrupted.
 */
export class Reconciler implements ShardRecovery {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<SweepReport> | undefined;
  /** The membership changes seen at the last sweep, and since when the log may have gained old events. */
  private changes: number | undefined;
  private disturbedFromMs: number | undefined;
  private settledAtMs = 0;

  constructor(
    private readonly log: EventLog,
    private readonly dispatcher: ProjectionDispatcher,
    private readonly transfers: TransferSnapshots,
    private readonly resumer: TransferResumer,
    private readonly checkpoints: Checkpoints,
    private readonly leases: ProjectionLeases,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
    private readonly status: BackendStatus,
    private readonly persisted: PersistedWatermark,
    /** Run before a replay: the stores the replay writes must be the ones every process reads. */
    private readonly beforeReplay: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Sweeps at once (views that start empty over a full log are replayed without waiting), then every interval. */
  start(): void {
    if (this.timer) return;
    this.sweep().catch((error: unknown) => this.logger.error({ err: error }, 'reconciliation sweep failed'));
    this.timer = setInterval(() => {
      if (this.sweeping) return;
      this.sweep().catch((error: unknown) => this.logger.error({ err: error }, 'reconciliation sweep failed'));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping?.catch(() => undefined);
    await this.leases.release(LEASE, this.options.ownerId).catch(() => undefined);
  }

  /** One sweep, if this process holds the reconciler's lease. */
  sweep(): Promise<SweepReport> {
    this.sweeping ??= this.runSweep().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  async recoverShard(shard: number, fromMs: number): Promise<number> {
    return this.scan(Math.max(0, fromMs), this.clock.now() + 1, (event) => shardOf(event.aggregateId, this.options.shardCount) === shard);
  }

  private async runSweep(): Promise<SweepReport> {
    this.noteMembership();
    if (!(await this.leases.acquire(LEASE, this.options.ownerId, this.options.leaseTtlMs))) return { scanned: 0, folded: 0, resumedTransfers: 0 };
    const epoch = this.status.connectionEpoch();
    const saved = await this.checkpoints.get(WATERMARK, 0);
    const now = this.clock.now();
    // No watermark in the cluster: the views may lack any event since the persisted watermark, the
    // one saved with the views PostgreSQL keeps (ADR 0050), or, without one, any event of the log.
    // The replay reads to beyond now, writers' clock skew included, so that once its watermark is
    // saved every event recorded before this sweep began is in the views; later ones are on the feed.
    const replay = saved === undefined;
    if (replay) await this.beforeReplay();
    const persisted = replay ? await this.persisted.get() : undefined;
    // Neither watermark: the whole log is replayed, stream by stream (ADR 0053).
    const wholeLog = replay && persisted === undefined;
    const watermark = saved?.eventTimeMs ?? persisted ?? 0;
    const from = Math.min(watermark, this.disturbedFromMs ?? watermark);
    const until = replay ? now + this.options.overlapMs : now - this.options.graceMs;
    let scanned = 0;
    let folded = 0;
    const requested = new Set<string>();
    const accounts = new Set<string>();
    if (until > watermark) {
      // The fold reads each stream whole as the log holds it when the fold reaches it; events
      // recorded from its start on go the usual way as well, which also mends a view the fold's
      // raise (not a compare-and-set) took back below a live event.
      const scanFrom = wholeLog ? Math.min(this.clock.now(), this.disturbedFromMs ?? Number.POSITIVE_INFINITY) : from;
      if (wholeLog) folded = await this.foldWholeLog();
      scanned = await this.scan(Math.max(0, scanFrom - this.options.overlapMs), until, (event) => {
        if (event.eventType === 'TransferRequested') requested.add(event.aggregateId);
        if (event.aggregateType === 'account') accounts.add(event.aggregateId);
        return true;
      });
      // Views and histories reach PostgreSQL in separate queues: a view kept there may be ahead of
      // its history, and the usual path skips its events. The streams a replay met write their
      // entries again, whole (a fold of the whole log has written every stream whole already).
      if (replay && !wholeLog) await this.refoldAccounts(accounts);
      // A sweep that a lost connection fell into may have written part of its work into views
      // that are gone (a full cluster restart): its watermark must not vouch for the new ones.
      if (this.status.connectionEpoch() !== epoch) throw new Error('the connection was lost during the sweep; it is run again');
      const mark = replay ? now : until;
      await this.checkpoints.save(WATERMARK, 0, { sequence: 0, eventTimeMs: mark });
      await this.persist(mark, epoch);
    }
    // A transfer whose first snapshot was never saved is found through its log, not its snapshot.
    for (const transferId of requested) await this.resume(transferId);
    // After a restart, transfers requested before the events this sweep scanned and never settled
    // are found in the log (their snapshots are not in the cluster).
    if (replay) await this.resumeUnsettled(requested);
    const resumedTransfers = await this.resumeTransfers();
    return { scanned, folded, resumedTransfers };
  }

  /**
   * Stores the views of the active generations, then the watermark that vouches for them (ADR
   * 0050). Nothing is saved when the flush does not end in time, or when the cluster was replaced
   * meanwhile (the views it stored are not those the sweep wrote): the last persisted watermark stays
   * true, and only the replay after a restart is longer.
   */
  private async persist(watermarkMs: number, epoch: number): Promise<void> {
    const timeoutMs = this.options.persistTimeoutMs ?? 30_000;
    try {
      const flush = this.persisted.flush();
      flush.catch(() => undefined);
      const flushed = await within(flush, timeoutMs);
      if (!flushed) {
        this.logger.warn({ timeoutMs }, 'views not stored in time; the persisted watermark is left as it was');
        return;
      }
      if (this.status.connectionEpoch() !== epoch) return;
      await this.persisted.save(watermarkMs, flushed);
    } catch (error) {
      this.logger.warn({ err: error }, 'persisted watermark not saved; the next sweep tries again');
    }
  }

  /**
   * Every stream of the log, whole, folded into the views and histories a batch of streams at a
   * time, as a rebuild does (ADR 0047): one read of PostgreSQL per page, one write per batch,
   * instead of the usual path's reads and writes per stream and page of time. Returns how many events.
   */
  private async foldWholeLog(): Promise<number> {
    let folded = 0;
    for (const aggregateType of AGGREGATE_TYPES) {
      const fold = async (streams: readonly (readonly EventEnvelope[])[], events: number): Promise<void> => {
        await this.dispatcher.fold(aggregateType, streams);
        folded += events;
      };
      await forEachStreamBatch(this.log, aggregateType, this.options.windowLimit, fold, STREAM_BATCHES_IN_FLIGHT);
    }
    return folded;
  }

  /** Whole streams of the accounts a catch-up after a restart touched, folded again into the views and histories. */
  private async refoldAccounts(accountIds: ReadonlySet<string>): Promise<void> {
    const ids = [...accountIds];
    for (let i = 0; i < ids.length; i += this.options.windowLimit) {
      const streams = await Promise.all(ids.slice(i, i + this.options.windowLimit).map((id) => this.log.read('account', id, 1)));
      await this.dispatcher.fold('account', streams.filter((stream) => stream.length > 0));
    }
  }

  /** Every transfer the log holds unsettled, except those already resumed. */
  private async resumeUnsettled(resumed: ReadonlySet<string>): Promise<void> {
    let after: string | undefined;
    for (;;) {
      const ids = await this.log.streamsWithout('transfer', 'TransferSettled', this.options.windowLimit, after);
      for (const transferId of ids) if (!resumed.has(transferId)) await this.resume(transferId);
      if (ids.length < this.options.windowLimit) return;
      after = ids[ids.length - 1];
    }
  }

  /**
   * A split brain: what the other side appended reaches this side's log with the merge, recorded
   * long before. Noted at every sweep, with the lease or without it (the lease may come to this
   * process later, or its acquisition may fail while the cluster refuses): from the time the change
   * may have begun until the membership has been quiet for a while, every sweep reads the log again
   * from there (ADR 0035, 0045).
   */
  private noteMembership(): void {
    const changes = this.status.membershipChanges?.();
    const changed = changes !== undefined && this.changes !== undefined && changes !== this.changes;
    this.changes = changes;
    const now = this.clock.now();
    if (changed) {
      const begun = now - (this.options.detectionMs ?? 60_000);
      this.disturbedFromMs = Math.min(this.disturbedFromMs ?? begun, begun);
      this.settledAtMs = now + (this.options.settleMs ?? 60_000);
    } else if (this.disturbedFromMs !== undefined && now >= this.settledAtMs) {
      this.disturbedFromMs = undefined;
    }
  }

  private async resumeTransfers(): Promise<number> {
    const pending = await this.transfers.listPending({ limit: this.options.windowLimit });
    const cutoff = this.clock.now() - this.options.graceMs;
    let resumed = 0;
    for (const { transferId } of pending) {
      // A young transfer is still in the hands of the process that accepted it.
      const [requested] = await this.log.read('transfer', transferId, 1, 1);
      if (requested && Date.parse(requested.timestamp) > cutoff) continue;
      if (await this.resume(transferId)) resumed++;
    }
    return resumed;
  }

  /** One transfer that cannot advance now (it is logged) does not keep the others from it. */
  private async resume(transferId: string): Promise<boolean> {
    try {
      await this.resumer.advance(transferId);
      return true;
    } catch (error) {
      this.logger.error({ transferId, err: error }, 'transfer could not be resumed; the next sweep tries again');
      return false;
    }
  }

  /** Dispatches every event recorded in `[fromMs, toMs)` that `accept` takes; returns how many. */
  private async scan(fromMs: number, toMs: number, accept: (event: EventEnvelope) => boolean): Promise<number> {
    let scanned = 0;
    await forEachRecordedPage(this.log, fromMs, toMs, this.options.windowLimit, async (window) => {
      const events = window.filter(accept);
      for (const event of newestPerStream(events)) await this.dispatcher.dispatch(event);
      scanned += events.length;
    });
    return scanned;
  }
}
