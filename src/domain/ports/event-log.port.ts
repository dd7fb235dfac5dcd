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

/**
 * Where a page of the log ended; the next page starts after it. Made by the log and handed back to
 * it unchanged: how ties are ordered (streams recorded in one millisecond, ids) is the log's own.
 */
export interface RecordedPosition {
  readonly recordedAtMs: number;
  readonly aggregateType: AggregateType;
  readonly aggregateId: string;
  readonly version: number;
}

/** One page of a read over the log. */
export interface LogPage {
  readonly events: readonly EventEnvelope[];
  /** Where the next page starts; absent when the read is over (this page was not full). */
  readonly next?: RecordedPosition;
}

/**
 * The log read as a whole: by recording time (reconciliation, catch-up) and stream by stream (a
 * rebuild), in pages that follow one another from a position, never by offset. Never on the hot path.
 */
export interface RecordedEvents {
  /**
   * Events whose timestamp lies in `[fromMs, toMs)`, after `after` (from the start when omitted), at
   * most `limit`, in the order of their timestamp (ties in an order of the log's own). Reading page
   * after page from each page's `next` hands over every event of the range once.
   */
  recordedPage(fromMs: number, toMs: number, limit: number, after?: RecordedPosition): Promise<LogPage>;
  /**
   * Events of one aggregate type, stream after stream, each stream in version order from version 1,
   * after `after`, at most `limit`. A stream may end on one page and go on on the next; streams never
   * interleave. Reading page after page hands over every event of the type the log held when each
   * page was read.
   */
  streamsPage(aggregateType: AggregateType, limit: number, after?: RecordedPosition): Promise<LogPage>;
  /**
   * Ids of the streams of `aggregateType` none of whose events is of type `eventType`, in id order,
   * after `afterId` (from the first when omitted), at most `limit`. Paging from each page's last id
   * hands over every such stream the log held when the page was read.
   */
  streamsWithout(aggregateType: AggregateType, eventType: string, limit: number, afterId?: string): Promise<readonly string[]>;
  /**
   * Ids of the streams of `aggregateType`, in id order, after `afterId` (from the first when
   * omitted), at most `limit`. Paging from each page's last id hands over every stream the log held
   * when the page was read.
   */
  streamIds(aggregateType: AggregateType, limit: number, afterId?: string): Promise<readonly string[]>;
  /** How many events the log holds (of one aggregate type, when given): the size of a full replay. */
  count(aggregateType?: AggregateType): Promise<number>;
}

/** The source of truth: every event ever accepted, one stream per aggregate. */
export interface EventLog extends RecordedEvents {
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
   * True when the backend publishes each appended event on the feed itself, after the append: the
   * writer then does not (ADR 0032). Absent or false: the writer publishes what it appended.
   */
  readonly publishesAppends?: boolean;
}

/** The position of an event in the log's pages. */
export const positionOf = (event: EventEnvelope): RecordedPosition => ({
  recordedAtMs: Date.parse(event.timestamp),
  aggregateType: event.aggregateType,
  aggregateId: event.aggregateId,
  version: event.version,
});
