import type { BackendStatus } from '../../domain/ports/backend-status.port.js';
import type { Checkpoints } from '../../domain/ports/checkpoints.port.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import { RECONCILER_WATERMARK } from '../projections/reconciler.js';

/**
 * Whether the read model is known to hold every event recorded before the views last started
 * empty (ADR 0030). The views, the checkpoints and the reconciler's watermark are lost together
 * (a full cluster restart), the log is not: so the watermark being there means that a sweep of the
 * whole log into these views has finished since they started empty (a sweep that finds no
 * watermark replays the log from its beginning, and saves one only if no restart fell inside it).
 * Events recorded since then reach the views through the live feed, as at any other time.
 *
 * It is known per connection epoch: a cluster cannot be replaced under a client without the
 * connection being lost first, so what was read in one epoch holds until the epoch changes.
 */
export class ReadModelCurrency {
  /** The connection epoch in which the watermark was seen; undefined: not known current. */
  private currentIn: number | undefined;
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /**
   * Whether the log was seen to hold an event: it only grows, so it is asked once, not at every
   * refresh (each one a count over the whole log while a replay runs and queries keep asking).
   */
  private logHolds = false;

  constructor(
    private readonly checkpoints: Checkpoints,
    private readonly log: EventLog,
    private readonly status: BackendStatus,
    private readonly clock: Clock,
    /** Run before the read model is declared current in an epoch: this process must read the views the replay filled. */
    private readonly beforeCurrent: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Whether the read model is known current now, without asking the backend. */
  get known(): boolean {
    return this.currentIn !== undefined && this.currentIn === this.status.connectionEpoch();
  }

  /**
   * The epoch in which the read model is known current, asking the backend when that is not known
   * in this epoch; undefined when it is not. A caller checks `holds(epoch)` after its read: a read
   * made while the epoch held went to the cluster whose views are current.
   */
  async current(): Promise<number | undefined> {
    if (!this.known) await this.refresh().catch(() => undefined);
    return this.known ? this.currentIn : undefined;
  }

  holds(epoch: number | undefined): boolean {
    return epoch !== undefined && this.known && this.currentIn === epoch;
  }

  /** Asks the backend once (calls made meanwhile share it). */
  refresh(): Promise<void> {
    this.refreshing ??= this.ask().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Asks again every `everyMs` while the read model is not known current (for `/ready`). */
  watch(everyMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.known) this.refresh().catch(() => undefined);
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async ask(): Promise<void> {
    const epoch = this.status.connectionEpoch();
    if (!this.status.check().connected) return;
    let watermark = await this.checkpoints.get(RECONCILER_WATERMARK, 0);
    if (!watermark && !this.logHolds) this.logHolds = (await this.log.count()) > 0;
    if (!watermark && !this.logHolds) {
      // Nothing to replay: views that start empty over an empty log are current. Events appended
      // from now on reach them through the feed, and the next sweep looks back before this mark.
      watermark = { sequence: 0, eventTimeMs: this.clock.now() };
      await this.checkpoints.save(RECONCILER_WATERMARK, 0, watermark);
    }
    if (!watermark) return;
    await this.beforeCurrent();
    if (this.status.connectionEpoch() === epoch) this.currentIn = epoch;
  }
}
