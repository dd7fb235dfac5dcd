import type { AggregateType, DecidedEvent, EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { IdGenerator } from '../../domain/ports/id-generator.port.js';

export interface EnvelopeOptions {
  readonly correlationId?: string;
  /** A deterministic id, for events whose identity must survive a retry. */
  readonly eventId?: string;
}

/** Gives decided events their identity, version and time; the only place these are made. */
export class EventFactory {
  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  envelope<E extends DecidedEvent>(
    aggregateType: AggregateType,
    aggregateId: string,
    version: number,
    event: E,
    options: EnvelopeOptions = {},
  ): EventEnvelope<E['eventType'], E['data']> {
    return {
      eventId: options.eventId ?? this.ids.newId(),
      aggregateType,
      aggregateId,
      eventType: event.eventType,
      version,
      timestamp: new Date(this.clock.now()).toISOString(),
      ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
      data: event.data,
    };
  }
}
