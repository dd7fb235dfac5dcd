/**
 * A recorded event. `version` is dense and 1-based per aggregate: the n-th event of a stream has
 * version n, so a stream's version is the number of its events.
 */
export type AggregateType = 'account' | 'transfer';

export interface EventEnvelope<TType extends string = string, TData = unknown> {
  readonly eventId: string;
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  readonly eventType: TType;
  readonly version: number;
  /** ISO 8601 UTC. */
  readonly timestamp: string;
  /** The transfer that caused this event, when one did. */
  readonly correlationId?: string;
  readonly data: TData;
}

/** An event as `decide` produces it: the application adds ids, version and time. */
export interface DecidedEvent<TType extends string = string, TData = unknown> {
  readonly eventType: TType;
  readonly data: TData;
}
