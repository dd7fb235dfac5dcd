import pg from 'pg';
import { BackendUnavailableError } from '../../application/ports/backend-errors.js';
import type { LogPage, RecordedEvents, RecordedPosition } from '../../domain/ports/event-log.port.js';
import type { AggregateType, EventEnvelope } from '../../domain/shared/event-envelope.js';

/** Where the members write the log through to (`PG*` variables): the service reads it there. */
export interface PostgresSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

interface EventRow {
  readonly aggregate_type: AggregateType;
  readonly aggregate_id: string;
  readonly version: number;
  readonly event_id: string;
  readonly event_type: string;
  readonly occurred_at_ms: string;
  readonly recorded_at_ms: string;
  readonly correlation_id: string | null;
  readonly payload: unknown;
}

const COLUMNS = `aggregate_type, aggregate_id, version, event_id, event_type,
  (extract(epoch from occurred_at) * 1000)::bigint as occurred_at_ms, recorded_at_ms, correlation_id, payload`;

/**
 * By time: a range of `events_by_time (namespace, recorded_at_ms)`, the rows of one millisecond
 * sorted by stream. The lower bound on `recorded_at_ms` alone lets the index start at the position.
 */
const BY_TIME = `select ${COLUMNS} from events
  where namespace = $1 and recorded_at_ms >= $2 and recorded_at_ms < $3
    and (recorded_at_ms, aggregate_type, aggregate_id, version) > ($4::bigint, $5, $6, $7)
  order by recorded_at_ms, aggregate_type, aggregate_id, version limit $8`;

/** Stream by stream: the primary key's own order, so each page is a range of the index. */
const BY_STREAM = `select ${COLUMNS} from events
  where namespace = $1 and aggregate_type = $2 and (aggregate_id, version) > ($3, $4)
  order by aggregate_id, version limit $5`;

/**
 * Streams lacking an event type: each stream's version 1 row, in the primary key's order, so a page
 * is a range of the index; the anti-join probes the same key for the stream's other rows.
 */
const WITHOUT = `select e.aggregate_id from events e
  where e.namespace = $1 and e.aggregate_type = $2 and e.version = 1 and e.aggregate_id > $3
    and not exists (
      select 1 from events f
      where f.namespace = e.namespace and f.aggregate_type = e.aggregate_type and f.aggregate_id = e.aggregate_id
        and f.event_type = $4)
  order by e.aggregate_id limit $5`;

const STREAM_IDS = `select aggregate_id from events
  where namespace = $1 and aggregate_type = $2 and version = 1 and aggregate_id > $3
  order by aggregate_id limit $4`;

/**
 * The event log as the members wrote it through to PostgreSQL (`events`, db/schema.sql), read by the
 * service in keyset pages (ADR 0047): every acknowledged event is there, whether the map still holds
 * it or not. A failure is the backend's (BackendUnavailableError), as a failed call to the cluster is.
 */
export class RecordedEventsPostgres implements RecordedEvents {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly namespace: string,
    private readonly ownsPool: boolean,
  ) {}

  /** With a pool of its own, ended by `close`. */
  static open(settings: PostgresSettings, namespace: string, options: { readonly poolSize?: number } = {}): RecordedEventsPostgres {
    return new RecordedEventsPostgres(RecordedEventsPostgres.pool(settings, options.poolSize), namespace, true);
  }

  /** Over a pool that others share (namespaces in one process): `close` leaves it open. */
  static sharing(pool: pg.Pool, namespace: string): RecordedEventsPostgres {
    return new RecordedEventsPostgres(pool, namespace, false);
  }

  /** A small pool: the reads are pages of a sweep or a rebuild, never the hot path. */
  static pool(settings: PostgresSettings, poolSize = 4): pg.Pool {
    const pool = new pg.Pool({
      ...settings,
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 10_000,
      // A query that hangs (PostgreSQL cut without a reset) fails the sweep; the next one retries.
      query_timeout: 60_000,
      // Idle connections do not keep a process that is done from ending.
      allowExitOnIdle: true,
    });
    // An idle client's connection that breaks is reported here; the next query opens another.
    pool.on('error', () => undefined);
    return pool;
  }

  async recordedPage(fromMs: number, toMs: number, limit: number, after?: RecordedPosition): Promise<LogPage> {
    const start = after ?? { recordedAtMs: fromMs - 1, aggregateType: '', aggregateId: '', version: 0 };
    const rows = await this.query<EventRow>('read recorded events', BY_TIME, [
      this.namespace,
      Math.max(fromMs, start.recordedAtMs),
      toMs,
      start.recordedAtMs,
      start.aggregateType,
      start.aggregateId,
      start.version,
      limit,
    ]);
    return page(rows, limit);
  }

  async streamsPage(aggregateType: AggregateType, limit: number, after?: RecordedPosition): Promise<LogPage> {
    const rows = await this.query<EventRow>('read streams', BY_STREAM, [this.namespace, aggregateType, after?.aggregateId ?? '', after?.version ?? 0, limit]);
    return page(rows, limit);
  }

  async streamsWithout(aggregateType: AggregateType, eventType: string, limit: number, afterId?: string): Promise<readonly string[]> {
    const rows = await this.query<{ aggregate_id: string }>('read streams without an event type', WITHOUT, [
      this.namespace,
      aggregateType,
      afterId ?? '',
      eventType,
      limit,
    ]);
    return rows.map((row) => row.aggregate_id);
  }

  async streamIds(aggregateType: AggregateType, limit: number, afterId?: string): Promise<readonly string[]> {
    const rows = await this.query<{ aggregate_id: string }>('read stream ids', STREAM_IDS, [this.namespace, aggregateType, afterId ?? '', limit]);
    return rows.map((row) => row.aggregate_id);
  }

  async count(aggregateType?: AggregateType): Promise<number> {
    const [row] = await this.query<{ n: string }>(
      'count events',
      'select count(*) as n from events where namespace = $1 and ($2::text is null or aggregate_type = $2)',
      [this.namespace, aggregateType ?? null],
    );
    return Number(row?.n ?? 0);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(operation: string, text: string, values: readonly unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, [...values])).rows;
    } catch (error) {
      throw new BackendUnavailableError(`${operation}: PostgreSQL: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

/** An event as appended, from its row: the fields the MapStore stored, the timestamp in milliseconds (ISO 8601 UTC). */
export const eventOf = (row: EventRow): EventEnvelope => ({
  eventId: row.event_id,
  aggregateType: row.aggregate_type,
  aggregateId: row.aggregate_id,
  eventType: row.event_type,
  version: row.version,
  timestamp: new Date(Number(row.occurred_at_ms)).toISOString(),
  ...(row.correlation_id === null ? {} : { correlationId: row.correlation_id }),
  data: row.payload,
});

const page = (rows: readonly EventRow[], limit: number): LogPage => {
  const last = rows[rows.length - 1];
  const events = rows.map(eventOf);
  if (rows.length < limit || !last) return { events };
  return {
    events,
    next: { recordedAtMs: Number(last.recorded_at_ms), aggregateType: last.aggregate_type, aggregateId: last.aggregate_id, version: last.version },
  };
};
