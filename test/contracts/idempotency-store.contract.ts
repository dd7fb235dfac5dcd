import { describe, expect, it } from 'vitest';
import type { IdempotencyRecord, IdempotencyStore } from '../../src/application/ports/idempotency-store.port.js';
import type { FixedClock } from '../support/fixed-clock.js';
import { AWKWARD_TEXT, clockOf, useSubject, type ContractCapabilities, type ContractSubject } from './contract-support.js';

export interface IdempotencyStoreSubject extends ContractSubject {
  readonly store: IdempotencyStore;
  /** Required with `controllableClock`: the clock the records' TTL follows. */
  readonly clock?: FixedClock;
}

const DAY_MS = 24 * 3_600_000;
const TTL_MS = 60_000;

const inFlight = (fingerprint: string, leaseUntilMs = 1_767_225_600_000): IdempotencyRecord => ({
  state: 'in-flight',
  fingerprint,
  leaseUntilMs,
});

const done = (fingerprint: string, body = `{"ok":true,"who":${JSON.stringify(AWKWARD_TEXT)}}`): IdempotencyRecord => ({
  state: 'done',
  fingerprint,
  response: { status: 201, headers: { 'content-type': 'application/json; charset=utf-8', location: '/accounts/x' }, body },
});

/** The same record as `done(...)`, built with every key in another order. */
const doneReordered = (fingerprint: string, body?: string): IdempotencyRecord => {
  const record = done(fingerprint, body);
  if (record.state !== 'done') throw new Error('unreachable');
  return {
    response: {
      body: record.response.body,
      headers: { location: record.response.headers.location!, 'content-type': record.response.headers['content-type']! },
      status: record.response.status,
    },
    fingerprint: record.fingerprint,
    state: record.state,
  };
};

/**
 * The idempotency store: put-if-absent and compare-and-set on whole records, compared by value (as
 * a backend comparing serialized bytes needs a canonical encoding), with a TTL per write.
 */
export function idempotencyStoreContract(
  name: string,
  factory: () => Promise<IdempotencyStoreSubject>,
  capabilities: ContractCapabilities,
): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const subject = useSubject(factory);
    const store = (): IdempotencyStore => subject.get().store;
    /** What the key holds now, seen through the port: putIfAbsent of a probe that is refused while it is taken. */
    const holds = async (key: string, expected: IdempotencyRecord): Promise<void> => {
      expect(await store().putIfAbsent(key, inFlight('probe'), TTL_MS)).toStrictEqual(expected);
    };

    it('stores a record under a free key and answers undefined', async () => {
      const key = subject.key();
      const record = inFlight('fp-1');
      expect(await store().putIfAbsent(key, record, TTL_MS)).toBeUndefined();
      await holds(key, record);
    });

    it('answers the stored record, unchanged, when the key is taken', async () => {
      const key = subject.key();
      const first = done('fp-1');
      await store().putIfAbsent(key, first, TTL_MS);
      expect(await store().putIfAbsent(key, done('fp-2', 'other'), TTL_MS)).toStrictEqual(first);
      expect(await store().putIfAbsent(key, inFlight('fp-1'), TTL_MS)).toStrictEqual(first);
      await holds(key, first);
    });

    it('refuses a replace when the stored record is not the expected one, and changes nothing', async () => {
      const key = subject.key();
      const stored = inFlight('fp-1', 1_000);
      await store().putIfAbsent(key, stored, TTL_MS);
      for (const wrong of [inFlight('fp-2', 1_000), inFlight('fp-1', 1_001), done('fp-1')]) {
        expect(await store().replace(key, wrong, done('fp-1'), TTL_MS)).toBe(false);
      }
      await holds(key, stored);
    });

    it('refuses a replace of a free key and leaves it free', async () => {
      const key = subject.key();
      expect(await store().replace(key, inFlight('fp-1'), done('fp-1'), TTL_MS)).toBe(false);
      expect(await store().putIfAbsent(key, inFlight('fp-9'), TTL_MS)).toBeUndefined();
    });

    it('replaces the expected record by the next one', async () => {
      const key = subject.key();
      const first = inFlight('fp-1');
      await store().putIfAbsent(key, first, TTL_MS);
      expect(await store().replace(key, first, done('fp-1'), TTL_MS)).toBe(true);
      await holds(key, done('fp-1'));
      expect(await store().replace(key, first, inFlight('fp-1', 5), TTL_MS)).toBe(false);
      await holds(key, done('fp-1'));
    });

    it('compares records by value, not by key order or identity', async () => {
      const key = subject.key();
      await store().putIfAbsent(key, done('fp-1'), TTL_MS);
      expect(await store().replace(key, doneReordered('fp-1'), done('fp-1', 'second'), TTL_MS)).toBe(true);
      await store().remove(key, doneReordered('fp-1', 'second'));
      expect(await store().putIfAbsent(key, inFlight('fp-2'), TTL_MS)).toBeUndefined();
    });

    it('ignores a remove with the wrong expected record, and frees the key with the right one', async () => {
      const key = subject.key();
      const stored = done('fp-1');
      await store().remove(key, stored);
      await store().putIfAbsent(key, stored, TTL_MS);
      await store().remove(key, done('fp-2'));
      await store().remove(key, inFlight('fp-1'));
      await holds(key, stored);
      await store().remove(key, stored);
      expect(await store().putIfAbsent(key, inFlight('fp-3'), TTL_MS)).toBeUndefined();
    });

    it('overwrites whatever the key holds, taken or free, with overwriteWorkingCopy; compare-and-set then sees it', async () => {
      const key = subject.key();
      await store().putIfAbsent(key, inFlight('fp-1'), TTL_MS);
      await store().overwriteWorkingCopy(key, inFlight('fp-1', 0), TTL_MS);
      await holds(key, inFlight('fp-1', 0));
      expect(await store().replace(key, inFlight('fp-1', 0), done('fp-1'), TTL_MS)).toBe(true);
      await holds(key, done('fp-1'));
      const free = subject.key();
      await store().overwriteWorkingCopy(free, done('fp-2'), TTL_MS);
      await holds(free, done('fp-2'));
    });

    it('lets exactly one of 10 concurrent putIfAbsent calls in, and shows the others its record', async () => {
      const key = subject.key();
      const records = Array.from({ length: 10 }, (_, i) => inFlight(`fp-${i}`));
      const answers = await Promise.all(records.map((record) => store().putIfAbsent(key, record, TTL_MS)));
      const winners = records.filter((_, i) => answers[i] === undefined);
      expect(winners).toHaveLength(1);
      for (const answer of answers.filter((a) => a !== undefined)) expect(answer).toStrictEqual(winners[0]);
    });

    it('lets exactly one of 10 concurrent replaces of the same record win', async () => {
      const key = subject.key();
      const first = inFlight('fp-1');
      await store().putIfAbsent(key, first, TTL_MS);
      const nexts = Array.from({ length: 10 }, (_, i) => inFlight('fp-1', 2_000 + i));
      const outcomes = await Promise.all(nexts.map((next) => store().replace(key, first, next, TTL_MS)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      await holds(key, nexts[outcomes.indexOf(true)]!);
    });

    it('keeps a record written with a 24 h TTL', async () => {
      const key = subject.key();
      await store().putIfAbsent(key, inFlight('fp-1'), DAY_MS);
      await holds(key, inFlight('fp-1'));
      expect(await store().replace(key, inFlight('fp-1'), done('fp-1'), DAY_MS)).toBe(true);
      await holds(key, done('fp-1'));
    });

    describe.skipIf(!capabilities.controllableClock)('expiry on the factory clock', () => {
      it('frees a key once its TTL has passed, not before', async () => {
        const key = subject.key();
        const clock = clockOf(subject.get());
        const record = inFlight('fp-1');
        await store().putIfAbsent(key, record, TTL_MS);
        clock.advance(TTL_MS / 2);
        await holds(key, record);
        clock.advance(TTL_MS / 2 + 1);
        expect(await store().replace(key, record, done('fp-1'), TTL_MS)).toBe(false);
        await store().remove(key, record);
        expect(await store().putIfAbsent(key, inFlight('fp-2'), TTL_MS)).toBeUndefined();
      });

      it('counts the TTL of a replace from the replace', async () => {
        const key = subject.key();
        const clock = clockOf(subject.get());
        await store().putIfAbsent(key, inFlight('fp-1'), TTL_MS);
        clock.advance(TTL_MS / 2);
        expect(await store().replace(key, inFlight('fp-1'), done('fp-1'), DAY_MS)).toBe(true);
        clock.advance(TTL_MS * 2);
        await holds(key, done('fp-1'));
        clock.advance(DAY_MS);
        expect(await store().putIfAbsent(key, inFlight('fp-2'), TTL_MS)).toBeUndefined();
      });
    });
  });
}
