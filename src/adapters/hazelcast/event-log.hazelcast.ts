import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import { sameEvent, streamKey, type AggregateType, type EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { AppendOutcome, EventLog, LogPage, RecordedEvents, RecordedPosition } from '../../domain/ports/event-log.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

/** The key of one event: partition-aware, so a whole stream lives in one partition. */
interface EventKey {
  readonly partitionKey: string;
  readonly version: number;
}

/**
 * What is stored: the event, plus its time as a number (the MapStore's `recorded_at_ms`, by which the
 * log is read in PostgreSQL) and, when the member publishes appends, the topic it is published on
 * (ADR 0032).
 */
export type StoredEvent = EventEnvelope & { readonly recordedAtMs: number; readonly topic?: string };

const READ_CHUNK = 64;

/**
 * The event log in an IMap, one entry per event. An append is `putIfAbsent` on (stream, version):
 * optimistic concurrency with no lock; the first writer of a version wins, the others see a conflict.
 * The log read as a whole (by time, stream by stream, its size) is read where the members wrote it
 * through to, PostgreSQL (`recorded`, ADR 0047): the map is never queried by time.
 */
export class EventLogHazelcast implements EventLog {
  readonly publishesAppends: boolean;

  private constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<EventKey, HazelcastJsonValue>,
    private readonly topicOf: ((aggregateId: string) => string) | undefined,
    private readonly recorded: RecordedEvents,
  ) {
    this.publishesAppends = topicOf !== undefined;
  }

  /**
   * `topicOf`: the topic each event is published on by the member that stores it, after the
   * write-through (the project's member module, `dev.hzcqrs.member.EventPublication`). Without
   * it the member publishes nothing and the writer publishes.
   */
  static async create(
    connection: HazelcastConnection,
    name: string,
    recorded: RecordedEvents,
    topicOf?: (aggregateId: string) => string,
  ): Promise<EventLogHazelcast> {
    const map = await connection.client.getMap<EventKey, HazelcastJsonValue>(name);
    return new EventLogHazelcast(connection, map, topicOf, recorded);
  }

  async append(event: EventEnvelope): Promise<AppendOutcome> {
    const stored: StoredEvent = {
      ...event,
      recordedAtMs: Date.parse(event.timestamp),
      ...(this.topicOf ? { topic: this.topicOf(event.aggregateId) } : {}),
    };
    const previous = await this.connection.call('append event', () =>
      this.map.putIfAbsent(key(event.aggregateType, event.aggregateId, event.version), toJsonValue(stored)),
    );
    if (previous === null || previous === undefined) return { ok: true };
    // The client retries some failed invocations by itself: a putIfAbsent that got in the first
    // time finds its own event, in every field, on the second. That is the append succeeding.
    const existing = strip(fromJsonValue<StoredEvent>(previous)!);
    return sameEvent(existing, event) ? { ok: true } : { ok: false, reason: 'conflict', existing };
  }

  async read(aggregateType: AggregateType, aggregateId: string, fromVersion: number, toVersion?: number): Promise<readonly EventEnvelope[]> {
    const events: EventEnvelope[] = [];
    for (let from = Math.max(1, fromVersion); toVersion === undefined || from <= toVersion; from += READ_CHUNK) {
      const to = toVersion === undefined ? from + READ_CHUNK - 1 : Math.min(toVersion, from + READ_CHUNK - 1);
      const keys: EventKey[] = [];
      for (let version = from; version <= to; version++) keys.push(key(aggregateType, aggregateId, version));
      const entries = await this.connection.call('read events', () => this.map.getAll(keys));
      const chunk = entries.map(([, value]) => strip(fromJsonValue<StoredEvent>(value)!)).sort((a, b) => a.version - b.version);
      // A stream is dense: it ends at the first version it does not hold.
      let expected = from;
      for (const event of chunk) {
        if (event.version !== expected) return events;
        events.push(event);
        expected++;
      }
      if (expected <= to) return events;
    }
    return events;
  }

  count(aggregateType?: AggregateType): Promise<number> {
    return this.recorded.count(aggregateType);
  }

  recordedPage(fromMs: number, toMs: number, limit: number, after?: RecordedPosition): Promise<LogPage> {
    return this.recorded.recordedPage(fromMs, toMs, limit, after);
  }

  streamsPage(aggregateType: AggregateType, limit: number, after?: RecordedPosition): Promise<LogPage> {
    return this.recorded.streamsPage(aggregateType, limit, after);
  }

  streamsWithout(aggregateType: AggregateType, eventType: string, limit: number, afterId?: string): Promise<readonly string[]> {
    return this.recorded.streamsWithout(aggregateType, eventType, limit, afterId);
  }

  streamIds(aggregateType: AggregateType, limit: number, afterId?: string): Promise<readonly string[]> {
    return this.recorded.streamIds(aggregateType, limit, afterId);
  }
}

const key = (aggregateType: AggregateType, aggregateId: string, version: number): EventKey => ({
  partitionKey: streamKey(aggregateType, aggregateId),
  version,
});

/** The event as appended, without what the log stores beside it. */
export const strip = ({ recordedAtMs: _recordedAtMs, topic: _topic, ...event }: StoredEvent): EventEnvelope => event;
