import type { BackendStatus } from '../../domain/ports/backend-status.port.js';
import type { Checkpoints } from '../../domain/ports/checkpoints.port.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { RecordedEvents } from '../../domain/ports/event-log.port.js';
import type { AccountViews } from '../../domain/ports/read-model.port.js';
import type { Logger } from '../ports/logger.port.js';
import { within } from '../../support/within.js';

/**
 * Saved once every account view is held where the list query sees it. Kept with the checkpoints,
 * which a full cluster restart loses together with the views held in memory (ADR 0054).
 */
export const VIEWS_HELD = 'views-held';

export interface HeldViewsOptions {
  /** Account ids read from the log, and views held, per step. */
  readonly batch: number;
  /** How long a list query waits for the views to be held before it answers 503. */
  readonly waitMs: number;
}

export const HELD_VIEWS_DEFAULTS: HeldViewsOptions = { batch: 10_000, waitMs: 1_000 };

/**
 * Whether every account view is held where the list query sees it (ADR 0054). After a full cluster
 * restart the members hold no view: a view is read back from PostgreSQL when it is first read, so
 * `GET /accounts/{id}` answers at once, but a list filtered on the members would leave out the views
 * not read yet. So the views of every account stream in the log are held, a batch at a time, before
 * a list is answered; until then a list answers 503 `read-model-lagging`.
 *
 * Known per connection epoch, as the read model's currency is. Any process may hold the views and
 * save the mark; the others read the mark instead of holding them again.
 */
export class HeldViews {
  /** The connection epoch in which every view was known held; undefined: not known. */
  private heldIn: number | undefined;
  private holding: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set by `stop`: a holding under way ends after the batch in hand, and none starts. */
  private stopped = false;

  constructor(
    private readonly log: RecordedEvents,
    private readonly views: AccountViews,
    private readonly checkpoints: Checkpoints,
    private readonly status: BackendStatus,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: HeldViewsOptions = HELD_VIEWS_DEFAULTS,
  ) {}

  get known(): boolean {
    return this.heldIn !== undefined && this.heldIn === this.status.connectionEpoch();
  }

  /**
   * The epoch in which every view is known held, holding them when that is not known (waiting at
   * most `waitMs` for it); undefined when it is not. A caller checks `holds(epoch)` after its read.
   */
  async current(): Promise<number | undefined> {
    if (!this.known) await within(this.hold(), this.options.waitMs);
    return this.known ? this.heldIn : undefined;
  }

  holds(epoch: number | undefined): boolean {
    return epoch !== undefined && this.known && this.heldIn === epoch;
  }

  /** Holds the views once (calls made meanwhile share it); a failure is logged, and the next call tries again. */
  hold(): Promise<void> {
    this.holding ??= this.holdAll()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'account views not all held yet; list queries answer 503 meanwhile'))
      .finally(() => (this.holding = undefined));
    return this.holding;
  }

  /** Holds the views now, and again every `everyMs` while they are not known held (after a reconnection, for instance). */
  start(everyMs: number): void {
    this.stopped = false;
    void this.hold();
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.known) void this.hold();
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.holding;
  }

  private async holdAll(): Promise<void> {
    const epoch = this.status.connectionEpoch();
    if (this.stopped || !this.status.check().connected) return;
    if (!(await this.checkpoints.get(VIEWS_HELD, 0))) {
      const started = this.clock.now();
      let held = 0;
      let after: string | undefined;
      for (;;) {
        const ids = await this.log.streamIds('account', this.options.batch, after);
        // A cluster met since the start may have lost what was held: the next call starts over.
        if (this.stopped || this.status.connectionEpoch() !== epoch) return;
        await this.views.holdAll(ids);
        held += ids.length;
        after = ids.at(-1);
        if (ids.length < this.options.batch) break;
      }
      if (this.status.connectionEpoch() !== epoch) return;
      await this.checkpoints.save(VIEWS_HELD, 0, { sequence: held, eventTimeMs: this.clock.now() });
      if (held > 0) this.logger.info({ views: held, ms: this.clock.now() - started }, 'every account view held: list queries answered');
    }
    if (this.status.connectionEpoch() === epoch) this.heldIn = epoch;
  }
}
