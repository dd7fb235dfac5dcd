import { describe, expect, it } from 'vitest';
import { EventLogInMemory } from '../../src/adapters/memory/event-log.in-memory.js';
import { IdempotencyStoreInMemory } from '../../src/adapters/memory/idempotency-store.in-memory.js';
import { IdempotentRequests, type Admission } from '../../src/application/idempotency/idempotent-requests.js';
import { BackendUnavailableError } from '../../src/application/ports/backend-errors.js';
import type { IdempotencyRecord, IdempotencyStore } from '../../src/application/ports/idempotency-store.port.js';
import { isRefusal } from '../../src/application/ports/application-error.js';
import { FixedClock } from '../support/fixed-clock.js';

const LEASE_MS = 60_000;
const ANSWER = { status: 503, headers: {}, body: '{}' };
const CHECK = { aggregateType: 'account', aggregateId: 'acc', version: 2, eventId: 'e-2' } as const;

/** The in-memory store, whose durable writes fail while `down`: the database away behind a working copy. */
class StoreWithDurableCopy implements IdempotencyStore {
  down = false;
  constructor(private readonly memory: IdempotencyStore) {}
  putIfAbsent(key: string, record: IdempotencyRecord, ttlMs: number) {
    return this.down ? this.unreachable() : this.memory.putIfAbsent(key, record, ttlMs);
  }
  replace(key: string, expected: IdempotencyRecord, next: IdempotencyRecord, ttlMs: number) {
    return this.down ? this.unreachable() : this.memory.replace(key, expected, next, ttlMs);
  }
  remove(key: string, expected: IdempotencyRecord) {
    return this.down ? this.unreachable() : this.memory.remove(key, expected);
  }
  overwriteWorkingCopy(key: string, record: IdempotencyRecord, ttlMs: number) {
    return this.memory.overwriteWorkingCopy(key, record, ttlMs);
  }
  private unreachable(): Promise<never> {
    return Promise.reject(new BackendUnavailableError('events not stored in PostgreSQL: PostgreSQL is unreachable'));
  }
}

const setUp = () => {
  const clock = new FixedClock();
  const store = new StoreWithDurableCopy(new IdempotencyStoreInMemory(clock));
  const requests = new IdempotentRequests(store, clock, { retentionMs: 24 * 3_600_000, inFlightLeaseMs: LEASE_MS }, new EventLogInMemory());
  const admitted = async (key: string): Promise<Extract<Admission, { kind: 'proceed' }>> => {
    const admission = await requests.admit(key, 'fp');
    if (admission.kind !== 'proceed') throw new Error(`${key} was not admitted: ${admission.kind}`);
    return admission;
  };
  const codeOf = (promise: Promise<unknown>) => promise.then(
    () => 'admitted',
    (error: unknown) => (isRefusal(error) ? error.code : error instanceof BackendUnavailableError ? 'unavailable' : String(error)),
  );
  return { clock, store, requests, admitted, codeOf };
};

describe('the lease of a request whose backend went away while it ran', () => {
  it('is ended in the working copy when it cannot be removed durably: the retry is not told "in flight"', async () => {
    const { clock, store, admitted, codeOf } = setUp();
    const first = await admitted('k');
    store.down = true;
    await first.abandon();
    clock.advance(1_000);
    // Still away: the retry cannot claim the key durably either, and is told so (503), not 409.
    expect(await codeOf(admitted('k'))).toBe('unavailable');
    store.down = false;
    expect(await codeOf(admitted('k'))).toBe('admitted');
  });

  it('is turned into "outcome unknown" in the working copy: the retry looks at the log, then runs', async () => {
    const { clock, store, admitted, codeOf } = setUp();
    const first = await admitted('k');
    store.down = true;
    await first.unknown(CHECK, ANSWER);
    clock.advance(1_000);
    store.down = false;
    // The event is not in the log: the retry takes the key over and runs.
    expect(await codeOf(admitted('k'))).toBe('admitted');
  });

  it('stays in flight when the request ran past half its lease: a retry could be taking over', async () => {
    const { clock, store, admitted, codeOf } = setUp();
    const first = await admitted('k');
    clock.advance(LEASE_MS / 2);
    store.down = true;
    await expect(first.abandon()).rejects.toBeInstanceOf(BackendUnavailableError);
    store.down = false;
    expect(await codeOf(admitted('k'))).toBe('IDEMPOTENCY.IN_FLIGHT');
  });

  it('is not touched when the durable write failed for another reason than the backend', async () => {
    const { store, admitted, codeOf } = setUp();
    const first = await admitted('k');
    const bug = new Error('a bug');
    store.remove = () => Promise.reject(bug);
    await expect(first.abandon()).rejects.toBe(bug);
    expect(await codeOf(admitted('k'))).toBe('IDEMPOTENCY.IN_FLIGHT');
  });
});
