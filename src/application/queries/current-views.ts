import { ApplicationError } from '../ports/application-error.js';
import type { AggregateType } from '../../domain/shared/event-envelope.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { ViewStaleness } from '../../domain/ports/read-model.port.js';
import type { ReadModelCurrency } from '../read-model/read-model-currency.js';

/**
 * The rule that no view is answered as if it were current when it is not known to be (ADR 0030):
 * - no view, but the log holds the stream: 503 `read-model-lagging`, never "no such" (one read of
 *   the log, only when a view is missing);
 * - while the read model is not known current (replaying after a full cluster restart), a view is
 *   answered only when the log holds nothing after its version: it is then the stream's newest, so
 *   no answer of this service was newer. Views never go back (compare-and-set), so once answered,
 *   a version stays the floor. Else 503 `read-model-lagging`.
 * A parked view answers as always: it says itself that it is behind (`Warning`).
 */
export class CurrentViews {
  constructor(
    private readonly aggregateType: AggregateType,
    private readonly log: EventLog,
    private readonly currency: ReadModelCurrency,
  ) {}

  static lagging(): ApplicationError {
    return new ApplicationError('READ_MODEL.LAGGING', 'the read model is replaying the log and does not hold this yet');
  }

  /**
   * Reads a view with `read`, past every cache (`fresh`) while the views are not known current, and
   * again past them before a missing view is checked against the log (a cache may hold an absence
   * the member has not invalidated yet); then checks it.
   */
  async read<V extends { readonly version: number; readonly stale?: ViewStaleness }>(
    id: string,
    read: (fresh: boolean) => Promise<V | undefined>,
  ): Promise<V | undefined> {
    const epoch = await this.currency.current();
    const fresh = epoch === undefined;
    const view = (await read(fresh)) ?? (fresh ? undefined : await read(true));
    if (!view) {
      if (await this.holds(id, 1)) throw CurrentViews.lagging();
      return undefined;
    }
    // Checked after the read: the epoch unchanged means the read went to the views known current.
    if (this.currency.holds(epoch) || view.stale) return view;
    if (await this.holds(id, view.version + 1)) throw CurrentViews.lagging();
    return view;
  }

  private async holds(id: string, version: number): Promise<boolean> {
    return (await this.log.read(this.aggregateType, id, version, version)).length > 0;
  }
}
