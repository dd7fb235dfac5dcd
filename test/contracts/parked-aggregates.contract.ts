import { describe, expect, it } from 'vitest';
import type { ParkedAggregate, ParkedAggregates } from '../../src/domain/ports/parked-aggregates.port.js';
import { eventually } from '../support/eventually.js';
import { AWKWARD_TEXT, useSubject, type ContractSubject } from './contract-support.js';

export interface ParkedAggregatesSubject extends ContractSubject {
  readonly parked: ParkedAggregates;
  /**
   * The same parked entries through another instance of the adapter, as another process has
   * them. Without one (a store in one process's memory) the suite uses `parked` again.
   */
  readonly peer?: ParkedAggregates;
}

/** Another process's park or removal may reach this one a little later: waited for, with a deadline. */
const VISIBILITY_DEADLINE_MS = 10_000;

const parkedEntry = (projection: string, aggregateId: string, overrides: Partial<ParkedAggregate> = {}): ParkedAggregate => ({
  projection,
  aggregateType: 'account',
  aggregateId,
  version: 7,
  reason: `view write failed: ${AWKWARD_TEXT}`,
  parkedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

/** A list long enough to hold every entry any test parks, so a test can look for its own. */
const EVERYTHING = 1_000_000;

/** Parked aggregates: one entry per (projection, aggregateId) until it is removed. */
export function parkedAggregatesContract(name: string, factory: () => Promise<ParkedAggregatesSubject>): void {
  describe(`ParkedAggregates contract: ${name}`, () => {
    const subject = useSubject(factory);
    const parked = (): ParkedAggregates => subject.get().parked;
    const peer = (): ParkedAggregates => subject.get().peer ?? subject.get().parked;
    const seenAs = (projection: string, aggregateId: string, expected: boolean, what: string): Promise<void> =>
      eventually(async () => (await parked().isParked(projection, aggregateId)) === expected, {
        timeoutMs: VISIBILITY_DEADLINE_MS,
        message: what,
      });
    const mine = async (projection: string): Promise<ParkedAggregate[]> =>
      (await parked().list(EVERYTHING)).filter((entry) => entry.projection === projection);

    it('knows nothing of an aggregate never parked', async () => {
      const projection = subject.key();
      expect(await parked().isParked(projection, 'a')).toBe(false);
      expect(await parked().get(projection, 'a')).toBeUndefined();
    });

    it('parks an entry and gives it back exactly', async () => {
      const projection = subject.key();
      const entry = parkedEntry(projection, 'a', { aggregateType: 'transfer', version: 1_000_000_000_000 });
      await parked().park(entry);
      expect(await parked().isParked(projection, 'a')).toBe(true);
      expect(await parked().get(projection, 'a')).toStrictEqual(entry);
      expect(await mine(projection)).toStrictEqual([entry]);
    });

    it('keeps one entry per projection and aggregate: parking again replaces it', async () => {
      const projection = subject.key();
      await parked().park(parkedEntry(projection, 'a', { version: 3 }));
      const again = parkedEntry(projection, 'a', { version: 4, reason: 'again', parkedAt: '2026-01-02T00:00:00.000Z' });
      await parked().park(again);
      expect(await parked().get(projection, 'a')).toStrictEqual(again);
      expect(await mine(projection)).toStrictEqual([again]);
    });

    it('keeps projections and aggregates apart', async () => {
      const [p1, p2] = [subject.key('p'), subject.key('q')];
      await parked().park(parkedEntry(p1, 'a'));
      expect(await parked().isParked(p2, 'a')).toBe(false);
      expect(await parked().isParked(p1, 'b')).toBe(false);
      await parked().park(parkedEntry(p2, 'a', { version: 9 }));
      expect((await parked().get(p1, 'a'))?.version).toBe(7);
      expect((await parked().get(p2, 'a'))?.version).toBe(9);
    });

    it('lists at most limit entries', async () => {
      const projection = subject.key();
      const entries = ['a', 'b', 'c'].map((aggregateId) => parkedEntry(projection, aggregateId));
      for (const entry of entries) await parked().park(entry);
      expect(await parked().list(2)).toHaveLength(2);
      expect(await parked().list(1)).toHaveLength(1);
      expect(await parked().list(0)).toEqual([]);
      const found = await mine(projection);
      expect(found.map((entry) => entry.aggregateId).sort()).toEqual(['a', 'b', 'c']);
    });

    it('removes an entry, and ignores the removal of one not parked', async () => {
      const projection = subject.key();
      await parked().remove(projection, 'a');
      await parked().park(parkedEntry(projection, 'a'));
      await parked().park(parkedEntry(projection, 'b'));
      await parked().remove(projection, 'a');
      expect(await parked().isParked(projection, 'a')).toBe(false);
      expect(await parked().get(projection, 'a')).toBeUndefined();
      expect(await parked().isParked(projection, 'b')).toBe(true);
      expect((await mine(projection)).map((entry) => entry.aggregateId)).toEqual(['b']);
    });

    it("sees another instance's parks and removals, and its own at once", async () => {
      const projection = subject.key();
      // Asked first, so that whatever this instance keeps of the entries is in place before the peer writes.
      expect(await parked().isParked(projection, 'a')).toBe(false);
      await peer().park(parkedEntry(projection, 'a'));
      await seenAs(projection, 'a', true, "the other instance's park is seen");
      expect(await parked().get(projection, 'a')).toStrictEqual(parkedEntry(projection, 'a'));
      await peer().remove(projection, 'a');
      await seenAs(projection, 'a', false, "the other instance's removal is seen");

      await parked().park(parkedEntry(projection, 'b'));
      expect(await parked().isParked(projection, 'b')).toBe(true);
      await peer().park(parkedEntry(projection, 'b', { version: 8 }));
      await parked().remove(projection, 'b');
      expect(await parked().isParked(projection, 'b')).toBe(false);
      expect(await peer().get(projection, 'b')).toBeUndefined();
      await eventually(async () => !(await peer().isParked(projection, 'b')), {
        timeoutMs: VISIBILITY_DEADLINE_MS,
        message: 'the removal is seen by the other instance',
      });
    });

    it('keeps every key right after a burst of parks and removals from two instances', async () => {
      const projection = subject.key();
      const ids = Array.from({ length: 12 }, (_, i) => `x${i}`);
      expect(await parked().isParked(projection, ids[0]!)).toBe(false);
      await Promise.all(
        ids.map(async (id, i) => {
          const writer = i % 2 === 0 ? parked() : peer();
          await writer.park(parkedEntry(projection, id));
          if (i % 3 === 0) await (i % 4 === 0 ? peer() : parked()).remove(projection, id);
        }),
      );
      for (const [i, id] of ids.entries()) await seenAs(projection, id, i % 3 !== 0, `${id} as stored`);
      for (const [i, id] of ids.entries()) expect(await parked().get(projection, id) !== undefined).toBe(i % 3 !== 0);
    });
  });
}
