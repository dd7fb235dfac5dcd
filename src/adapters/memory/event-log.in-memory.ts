import { sameEvent, streamKey, type AggregateType, type EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { AppendOutcome, EventLog, RecordedWindow } from '../../domain/ports/event-log.port.js';

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

  async recordedBetween(fromMs: number, toMs: number, limit: number): Promise<RecordedWindow> {
    const events: EventEnvelope[] = [];
    for (const { ms, event } of this.byTime) {
      if (ms < fromMs || ms >= toMs) continue;
      if (events.length === limit) return { events, complete: false };
      events.push(event);
    }
    return { events, complete: true };
  }

  async count(): Promise<number> {
    return this.byTime.length;
  }

  /** Every event, in append order: for tests. */
  all(): readonly EventEnvelope[] {
    return this.byTime.map(({ event }) => event);
  }
}

