import { describe, expect, it } from 'vitest';
import { failedWritesCanBeGuarded } from '../../src/adapters/hazelcast/failed-write-guard.js';

describe('the failed-write guard (ADR 0027)', () => {
  it('finds the internals it wraps in the installed client, so the service keeps coalesced writes', () => {
    // Another client version without them makes the service fall back to one write per message;
    // this fails first, so that the fallback is a decision and not a surprise.
    expect(failedWritesCanBeGuarded()).toBe(true);
  });
});
