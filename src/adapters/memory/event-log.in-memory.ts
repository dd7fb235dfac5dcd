import { sameEvent, streamKey, type AggregateType, type EventEnvelope } from '../../domain/shared/event-envelope.js';
import { positionOf, type AppendOutcome, type EventLog, type LogPage, type RecordedPosition } from '../../domain/ports/event-log.port.js';

export class EventLogInMemory implements EventLog {
  private readonly streams = new Map<string, EventEnvelope[]>();
  private readonly byTime: { readonly ms: number; readonly event: EventEnvelope }[] = [];

  async append(event: EventEnvelope): Promise<AppendOutcome> {
    const key = streamKey(event.aggregateType, event.aggregateId);
    const stream = this.streams.get(key) ?? [];
    if (event.version !== stream.length + 1) {
      if (event.version <= stream.length) {
        const existing = stream[event.version - 1]!;
        return sameEvent(existing, event) ? { ok: true } : { ok: false, reason: 'conflict', existing };
      }
      throw new Error(`${key}: version ${event.version} would leave a gap after ${stream.length}`);
    }
    stream.push(event);
    this.streams.set(key, stream);
    this.byTime.push({ ms: Date.parse(event.timestamp), event });
    return { ok: true };
  }

  async read(aggregateType: AggregateType, aggregateId: string, fromVersion: number, toVersion?: number): Promise<readonly EventEnvelope[]> {
    const stream = this.streams.get(streamKey(aggregateType, aggregateId)) ?? [];
    return stream.slice(Math.max(0, fromVersion - 1), toVersion);
  }

  async recordedPage(fromMs: number, toMs: number, limit: number, after?: RecordedPosition): Promise<LogPage> {
    const matching = this.byTime
      .filter(({ ms, event }) => ms >= fromMs && ms < toMs && (after === undefined || compare(positionOf(event), after) > 0))
      .map(({ event }) => event)
      .sort((a, b) => compare(positionOf(a), positionOf(b)));
    return page(matching, limit);
  }

  async streamsPage(aggregateType: AggregateType, limit: number, after?: RecordedPosition): Promise<LogPage> {
    const matching: EventEnvelope[] = [];
    const ids = [...this.streams.keys()].filter((key) => key.startsWith(`${aggregateType}/`)).sort();
    for (const key of ids) {
      for (const event of this.streams.get(key)!) {
        if (after !== undefined && compareStreamOrder(event, after) <= 0) continue;
        matching.push(event);
        if (matching.length > limit) return page(matching, limit);
      }
    }
    return page(matching, limit);
  }

  async streamsWithout(aggregateType: AggregateType, eventType: string, limit: number, afterId?: string): Promise<readonly string[]> {
    const prefix = `${aggregateType}/`;
    const ids: string[] = [];
    for (const [key, stream] of this.streams) {
      if (!key.startsWith(prefix)) continue;
      const id = key.slice(prefix.length);
      if (afterId !== undefined && byText(id, afterId) <= 0) continue;
      if (!stream.some((event) => event.eventType === eventType)) ids.push(id);
    }
    return ids.sort(byText).slice(0, limit);
  }

  async streamIds(aggregateType: AggregateType, limit: number, afterId?: string): Promise<readonly string[]> {
    const prefix = `${aggregateType}/`;
    const ids: string[] = [];
    for (const key of this.streams.keys()) {
      if (!key.startsWith(prefix)) continue;
      const id = key.slice(prefix.length);
      if (afterId === undefined || byText(id, afterId) > 0) ids.push(id);
    }
    return ids.sort(byText).slice(0, limit);
  }

  async count(aggregateType?: AggregateType): Promise<number> {
    return aggregateType === undefined ? this.byTime.length : this.byTime.filter(({ event }) => event.aggregateType === aggregateType).length;
  }

  /** Every event, in append order: for tests. */
  all(): readonly EventEnvelope[] {
    return this.byTime.map(({ event }) => event);
  }
}


/** Time, then stream (code-point order), then version: this log's order of recorded pages. */
const compare = (a: RecordedPosition, b: RecordedPosition): number =>
  a.recordedAtMs - b.recordedAtMs || byText(a.aggregateType, b.aggregateType) || byText(a.aggregateId, b.aggregateId) || a.version - b.version;

const compareStreamOrder = (event: EventEnvelope, after: RecordedPosition): number =>
  byText(event.aggregateId, after.aggregateId) || event.version - after.version;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The first `limit` events; a full page says where the next one starts. */
const page = (events: readonly EventEnvelope[], limit: number): LogPage => {
  const taken = events.slice(0, limit);
  const last = taken[taken.length - 1];
  return taken.length === limit && last ? { events: taken, next: positionOf(last) } : { events: taken };
};
