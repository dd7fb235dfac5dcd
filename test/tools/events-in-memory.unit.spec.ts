import { describe, expect, it } from 'vitest';
import { defaultEventsInMemory, eventsInMemoryPerMember } from '../../tools/cluster.js';

describe('the event log bound of a cluster (ADR 0049)', () => {
  it('is off unless HZCQRS_EVENTS_IN_MEMORY names a positive integer', () => {
    expect(defaultEventsInMemory({})).toBe(false);
    expect(defaultEventsInMemory({ HZCQRS_EVENTS_IN_MEMORY: '' })).toBe(false);
    expect(defaultEventsInMemory({ HZCQRS_EVENTS_IN_MEMORY: 'off' })).toBe(false);
    expect(defaultEventsInMemory({ HZCQRS_EVENTS_IN_MEMORY: '100000' })).toBe(100_000);
    for (const bad of ['0', '-5', '1.5', 'many']) {
      expect(() => defaultEventsInMemory({ HZCQRS_EVENTS_IN_MEMORY: bad }), bad).toThrow(/HZCQRS_EVENTS_IN_MEMORY/);
    }
  });

  it('is divided among the members, rounded up, at least one each', () => {
    expect(eventsInMemoryPerMember(100_000, 2)).toBe(50_000);
    expect(eventsInMemoryPerMember(100_000, 3)).toBe(33_334);
    expect(eventsInMemoryPerMember(2, 3)).toBe(1);
  });
});
