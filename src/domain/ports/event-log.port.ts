import type { AggregateType, EventEnvelope } from '../shared/event-envelope.js';

export type AppendOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'conflict';
      /**
       * The event that holds the version, when the log learnt it from the refused append itself
       * (no further read): a writer can go on from it instead of reading the stream again.
       */
      readonly existing?: EventEnvelope;
    };

/** The source of truth: every event ever accepted, one stream per aggregate. */
export interface EventLog {
  /**
   * Appends one event at exactly `event.version`. Refuses with `conflict`, changing nothing, when
   * the stream already holds another event at that version. Appending the very event that is there
   * (equal in every field, `sameEvent`) is ok: a retried call that already got in is not a conflict.
   * The same `eventId` alone is not enough: two writers of one transfer step share it.
   * The caller guarantees `event.version - 1` exists.
   */
  append(event: EventEnvelope): Promise<AppendOutcome>;
  /** The stream's events with `fromVersion <= version <= toVersion` (to the end when omitted), in order. */
  read(
    aggregateType: AggregateType,
    aggregateId: string,
    fromVersion: number,
    toVersion?: number,
  ): Promise<readonly EventEnvelope[]>;
  /**
   * Events whose timestamp lies in `[fromMs, toMs)`, in no particular order, at most `limit`;
   * `complete` is false when more matched. Used by reconciliation, never on the hot path.
   */
  recordedBetween(fromMs: number, toMs: number, limit: number): Promise<RecordedWindow>;
  /** How many events the log holds: the size of a full replay. */
  count(): Promise<number>;
  /**
   * True when the backend publishes each appended event on the feed itself, after the append: the
   * writer then does not (ADR 0032). Absent or false: the writer publishes what it appended.
   */
  readonly publishesAppends?: boolean;
}

export interface RecordedWindow {
  readonly events: readonly EventEnvelope[];
  readonly complete: boolean;
}
