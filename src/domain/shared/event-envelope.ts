/**
 * A recorded event. `version` is dense and 1-based per aggregate: the n-th event of a stream has
 * version n, so a stream's version is the number of its events.
 */
export const AGGREGATE_TYPES = ['account', 'transfer'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/** One stream's name, `<type>/<id>`: the log's partition key, and the key of per-stream work. */
export const streamKey = (aggregateType: AggregateType, aggregateId: string): string => `${aggregateType}/${aggregateId}`;

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

/**
 * Whether two envelopes are the same event in every field. An event id alone does not say so: a
 * transfer step's id is deterministic, and two processes racing the same step write envelopes
 * with one id and different times.
 */
export const sameEvent = (a: EventEnvelope, b: EventEnvelope): boolean => stable(a) === stable(b);

const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : nested,
  );
