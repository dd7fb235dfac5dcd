import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { Projection } from './projection.js';

export type HandleOutcome = 'applied' | 'duplicate' | 'ignored';

/** An event log that does not hold versions a published event says exist: retried later, never skipped. */
export class GapNotFillableError extends Error {
  override readonly name = 'GapNotFillableError';
}

const MAX_RACES = 16;

/**
 * The per-aggregate rule: version = stored + 1 is applied; version <= stored is a duplicate and
 * skipped; version > stored + 1 first fills the gap from the event log.
 */
export class ProjectionEngine {
  constructor(private readonly log: EventLog) {}

  async handle(projection: Projection, event: EventEnvelope): Promise<HandleOutcome> {
    if (event.aggregateType !== projection.aggregateType) return 'ignored';
    // The usual case without reading the view: the next version over the view this process last
    // wrote. A compare-and-set over a stale recollection fails, and the read below decides. A
    // recollection never decides that an event is a duplicate: only the stored view does.
    const recalled = projection.recall(event.aggregateId);
    if (recalled && event.version === recalled.version + 1 && (await projection.apply(event.aggregateId, recalled, [event]))) return 'applied';
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await projection.load(event.aggregateId);
      const stored = current?.version ?? 0;
      if (event.version <= stored) return 'duplicate';
      const events =
        event.version === stored + 1
          ? [event]
          : await this.log.read(event.aggregateType, event.aggregateId, stored + 1, event.version);
      if (events.length !== event.version - stored || events[events.length - 1]?.version !== event.version) {
        throw new GapNotFillableError(
          `${event.aggregateType} ${event.aggregateId}: the log holds ${events.length} of versions ${stored + 1}..${event.version}`,
        );
      }
      // Another projector advanced the view meanwhile: look again.
      if (await projection.apply(event.aggregateId, current, events)) return 'applied';
    }
    throw new Error(`${projection.name} ${event.aggregateId}: lost ${MAX_RACES} races in a row`);
  }
}
