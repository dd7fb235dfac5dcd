import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { ReadModelCurrency } from '../../src/application/read-model/read-model-currency.js';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import { FixedClock } from '../support/fixed-clock.js';

describe('whether the read model is known current (ADR 0030)', () => {
  const withCountedLog = (log: EventLog): { log: EventLog; counts: () => number } => {
    let counts = 0;
    const counted = new Proxy(log, {
      get(target, property) {
        if (property === 'count') {
          return (...args: Parameters<EventLog['count']>) => {
            counts++;
            return target.count(...args);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { log: counted, counts: () => counts };
  };

  it('counts a log that holds events once, not at every refresh while the replay has not saved its watermark', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 100 });
    await backend.eventLog.append({
      eventId: 'e1',
      aggregateType: 'account',
      aggregateId: 'a',
      eventType: 'AccountOpened',
      version: 1,
      timestamp: new Date(clock.now()).toISOString(),
      data: { owner: 'o', currency: 'KRW' },
    });
    const { log, counts } = withCountedLog(backend.eventLog);
    const currency = new ReadModelCurrency(backend.checkpoints, log, backend.status, clock);
    for (let i = 0; i < 5; i++) await currency.refresh();
    // Not current: a replay must run first, and nothing saved a watermark.
    expect(await currency.current()).toBeUndefined();
    expect(counts()).toBe(1);
  });

  it('keeps asking an empty log, and declares views over it current with a watermark of now', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 100 });
    const { log, counts } = withCountedLog(backend.eventLog);
    const currency = new ReadModelCurrency(backend.checkpoints, log, backend.status, clock);
    expect(await currency.current()).toBeDefined();
    expect(counts()).toBe(1);
    expect(await backend.checkpoints.get('reconciler', 0)).toMatchObject({ eventTimeMs: clock.now() });
  });
});
