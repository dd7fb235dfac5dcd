import { describe, expect, it } from 'vitest';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import type { AggregateType, EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { AWKWARD_TEXT, canonicalJson, compareCodePoints, useSubject, type ContractSubject } from './contract-support.js';
import { allPages, allStreamsWithout, byEventId, envelope, freeWindow, iso } from './contract-events.js';

export interface EventLogSubject extends ContractSubject {
  readonly log: EventLog;
}

/** The event log's contract: dense versions, conflict on an existing version, exact round trips. */
export function eventLogContract(name: string, factory: () => Promise<EventLogSubject>): void {
  describe(`EventLog contract: ${name}`, () => {
    const subject = useSubject(factory);
    const log = (): EventLog => subject.get().log;

    it('appends at version 1, then 2, then 3, and reads them back in order', async () => {
      const id = subject.key();
      const events = [1, 2, 3].map((version) => envelope('account', id, version));
      for (const event of events) expect(await log().append(event)).toEqual({ ok: true });
      expect(await log().read('account', id, 1)).toStrictEqual(events);
    });

    it('refuses an existing version with a conflict and keeps the first event as it was', async () => {
      const id = subject.key();
      const windowMs = await freeWindow(log());
      const first = envelope('account', id, 1, { data: { owner: 'first', currency: 'KRW' }, eventType: 'AccountOpened' });
      const second = envelope('account', id, 2);
      await log().append(first);
      await log().append(second);
      const rivals = [
        envelope('account', id, 1, { eventId: `${id}.rival1`, timestamp: iso(windowMs + 10), data: { owner: 'rival' } }),
        envelope('account', id, 2, { eventId: `${id}.rival2`, timestamp: iso(windowMs + 20), data: { amount: 999 } }),
      ];
      // A refused append names the event that holds the version, as stored.
      expect(await log().append(rivals[0]!)).toStrictEqual({ ok: false, reason: 'conflict', existing: first });
      expect(await log().append(rivals[1]!)).toStrictEqual({ ok: false, reason: 'conflict', existing: second });

      const stored = await log().read('account', id, 1);
      expect(stored).toStrictEqual([first, second]);
      expect(stored.map(canonicalJson)).toEqual([first, second].map(canonicalJson));
      expect(await log().recordedPage(windowMs, windowMs + 1_000, 100)).toStrictEqual({ events: [] });
      expect(await log().append(envelope('account', id, 3))).toEqual({ ok: true });
    });

    it('takes the very event that is there again as appended (a retried call), any other as a conflict', async () => {
      const id = subject.key();
      const first = envelope('account', id, 1);
      expect(await log().append(first)).toEqual({ ok: true });
      expect(await log().append(first)).toEqual({ ok: true });
      expect(await log().append({ ...first, eventId: `${id}.other` })).toStrictEqual({ ok: false, reason: 'conflict', existing: first });
      // One id, another time: a second writer of a deterministic step id, not a retry.
      expect(await log().append({ ...first, timestamp: new Date(Date.parse(first.timestamp) + 3).toISOString() })).toStrictEqual({
        ok: false,
        reason: 'conflict',
        existing: first,
      });
      expect(await log().read('account', id, 1)).toStrictEqual([first]);
    });

    it.each([1, 2])('lets exactly one of 16 concurrent appends at version %i win', async (version) => {
      const id = subject.key();
      for (let v = 1; v < version; v++) await log().append(envelope('account', id, v));
      const contenders = Array.from({ length: 16 }, (_, i) =>
        envelope('account', id, version, { eventId: `${id}.contender${i}`, data: { contender: i } }),
      );
      const outcomes = await Promise.all(contenders.map((event) => log().append(event)));

      const winners = contenders.filter((_, i) => outcomes[i]!.ok);
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes.filter((o) => !o.ok)) expect(outcome).toStrictEqual({ ok: false, reason: 'conflict', existing: winners[0] });
      expect(await log().read('account', id, version)).toStrictEqual(winners);
    });

    it('reads inclusive version ranges, to the end when no upper bound is given', async () => {
      const id = subject.key();
      const events = [1, 2, 3, 4, 5, 6].map((version) => envelope('transfer', id, version));
      for (const event of events) await log().append(event);
      const versions = async (from: number, to?: number): Promise<number[]> =>
        (await log().read('transfer', id, from, to)).map((event) => event.version);

      expect(await versions(1)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await versions(2, 4)).toEqual([2, 3, 4]);
      expect(await versions(3, 3)).toEqual([3]);
      expect(await versions(4)).toEqual([4, 5, 6]);
      expect(await versions(5, 100)).toEqual([5, 6]);
      expect(await versions(6)).toEqual([6]);
      expect(await versions(7)).toEqual([]);
      expect(await versions(100, 200)).toEqual([]);
      expect(await versions(4, 3)).toEqual([]);
      expect(await log().read('transfer', subject.key('none'), 1)).toEqual([]);
    });

    it('keeps the account and the transfer streams of one id apart', async () => {
      const id = subject.key();
      const account = envelope('account', id, 1, { data: { side: 'account' } });
      const transfer = envelope('transfer', id, 1, { data: { side: 'transfer' } });
      expect(await log().append(account)).toEqual({ ok: true });
      expect(await log().append(transfer)).toEqual({ ok: true });
      const transfer2 = envelope('transfer', id, 2);
      expect(await log().append(transfer2)).toEqual({ ok: true });

      expect(await log().read('account', id, 1)).toStrictEqual([account]);
      expect(await log().read('transfer', id, 1)).toStrictEqual([transfer, transfer2]);
    });

    it('round-trips events exactly, through read, recordedPage and streamsPage', async () => {
      const id = subject.key();
      const windowMs = await freeWindow(log());
      const events: EventEnvelope[] = [
        envelope('account', id, 1, {
          eventType: 'AccountOpened',
          timestamp: iso(windowMs + 1),
          data: { owner: AWKWARD_TEXT, currency: 'KRW' },
        }),
        envelope('account', id, 2, { timestamp: iso(windowMs + 2), data: { amount: 1_000_000_000_000 } }),
        envelope('account', id, 3, {
          eventType: 'TransferDebited',
          timestamp: iso(windowMs + 3),
          correlationId: `${id}-transfer`,
          data: { amount: Number.MAX_SAFE_INTEGER, transferId: `${id}-transfer` },
        }),
        envelope('account', id, 4, {
          eventType: 'AccountClosed',
          timestamp: iso(windowMs + 4),
          data: { nested: { list: [0, -1, 0.5, true, null, 'x'], empty: {} }, zero: 0 },
        }),
        envelope('account', id, 5, { eventType: 'AccountClosed', timestamp: iso(windowMs + 5), data: {} }),
      ];
      for (const event of events) expect(await log().append(event)).toEqual({ ok: true });

      const read = await log().read('account', id, 1);
      expect(read).toStrictEqual(events);
      expect('correlationId' in read[0]!).toBe(false);
      expect(read[2]!.correlationId).toBe(`${id}-transfer`);
      const page = await log().recordedPage(windowMs, windowMs + 10, 100);
      expect(page.next).toBeUndefined();
      expect(page.events).toStrictEqual(events);
      const streams = await allPages((after) => log().streamsPage('account', 1_000, after));
      expect(streams.events.filter((event) => event.aggregateId === id)).toStrictEqual(events);
    });

    it('finds the events whose timestamp lies in [from, to)', async () => {
      const windowMs = await freeWindow(log());
      const from = windowMs + 1_000;
      const to = windowMs + 2_000;
      const at = (ms: number): EventEnvelope => envelope('account', subject.key(), 1, { timestamp: iso(ms) });
      const before = at(from - 1);
      const inside = [at(from), at(from + 1), at(from + 500), at(to - 1)];
      const atEnd = at(to);
      for (const event of [atEnd, ...inside, before]) expect(await log().append(event)).toEqual({ ok: true });

      const page = await log().recordedPage(from, to, 100);
      expect(page.next).toBeUndefined();
      expect(byEventId(page.events)).toStrictEqual(byEventId(inside));
      expect(await log().recordedPage(from, from, 100)).toStrictEqual({ events: [] });
    });

    it('pages through a range in time order from each page\'s next, every event once, ties in one millisecond included', async () => {
      const windowMs = await freeWindow(log());
      const streams = [subject.key('c'), subject.key('a'), subject.key('b')];
      const events: EventEnvelope[] = [];
      // Three streams of three versions; versions 1 and 2 of every stream share one millisecond.
      for (const [s, id] of streams.entries()) {
        for (const version of [1, 2, 3]) {
          events.push(envelope('transfer', id, version, { timestamp: iso(windowMs + (version === 3 ? 10 + s : 5)) }));
        }
      }
      for (const event of events) expect(await log().append(event)).toEqual({ ok: true });

      for (const limit of [1, 2, 4, 9, 100]) {
        const { events: read, sizes } = await allPages((after) => log().recordedPage(windowMs, windowMs + 100, limit, after));
        expect(byEventId(read)).toStrictEqual(byEventId(events));
        const times = read.map((event) => Date.parse(event.timestamp));
        expect(times).toStrictEqual([...times].sort((x, y) => x - y));
        // Full pages until the last, which may be empty; never more than the limit.
        expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
        expect(sizes.at(-1)!).toBeLessThanOrEqual(limit);
        // Within a stream, versions in order.
        for (const id of streams) expect(read.filter((e) => e.aggregateId === id).map((e) => e.version)).toEqual([1, 2, 3]);
      }
    });

    it('pages through a type stream by stream, each from version 1 in order, never interleaved', async () => {
      const ids = [subject.key('s2'), subject.key('s1'), subject.key('s3')];
      const mine = new Map<string, EventEnvelope[]>();
      for (const [i, id] of ids.entries()) {
        const stream = Array.from({ length: 2 + i }, (_, v) => envelope('transfer', id, v + 1));
        for (const event of stream) expect(await log().append(event)).toEqual({ ok: true });
        mine.set(id, stream);
      }
      // The same id in the other type is not in the pages of this one.
      expect(await log().append(envelope('account', ids[0]!, 1))).toEqual({ ok: true });

      for (const limit of [1, 2, 3, 1_000]) {
        const { events: read, sizes } = await allPages((after) => log().streamsPage('transfer', limit, after));
        expect(read.every((event) => event.aggregateType === 'transfer')).toBe(true);
        expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
        // Whatever else the log holds, every stream comes once, whole, versions from 1 in order.
        const order: string[] = [];
        for (const event of read) if (order.at(-1) !== event.aggregateId) order.push(event.aggregateId);
        expect(new Set(order).size).toBe(order.length);
        for (const id of order) {
          const versions = read.filter((e) => e.aggregateId === id).map((e) => e.version);
          expect(versions).toEqual(versions.map((_, i) => i + 1));
        }
        for (const [id, stream] of mine) expect(read.filter((e) => e.aggregateId === id)).toStrictEqual(stream);
      }
    });

    /** Appends one stream whose events have these types, from version 1. */
    const appendStream = async (aggregateType: AggregateType, id: string, eventTypes: readonly string[]): Promise<void> => {
      for (const [i, eventType] of eventTypes.entries()) {
        expect(await log().append(envelope(aggregateType, id, i + 1, { eventType }))).toEqual({ ok: true });
      }
    };
    const sorted = (ids: readonly string[]): string[] => [...ids].sort(compareCodePoints);

    it('finds the streams of a type none of whose events is of a type, in id order, whatever else the log holds', async () => {
      // Appended out of id order, so that an answer in append order shows.
      const base = subject.key();
      const pending = [`${base}p2`, `${base}p1`, `${base}p3`];
      await appendStream('transfer', pending[0]!, ['TransferRequested', 'TransferDebited', 'TransferCredited']);
      await appendStream('transfer', pending[1]!, ['TransferRequested']);
      await appendStream('transfer', pending[2]!, ['TransferRequested', 'TransferDebited', 'TransferDebitDeclined']);
      // The type at the end, at version 1, or in the middle of a stream: each such stream is left out.
      const settled = [`${base}s1`, `${base}s2`, `${base}s3`];
      await appendStream('transfer', settled[0]!, ['TransferRequested', 'TransferDebited', 'TransferCredited', 'TransferSettled']);
      await appendStream('transfer', settled[1]!, ['TransferSettled']);
      await appendStream('transfer', settled[2]!, ['TransferRequested', 'TransferSettled', 'TransferStepClaimed']);

      const { ids } = await allStreamsWithout(log(), 'transfer', 'TransferSettled', 1_000);
      expect(ids.filter((id) => pending.includes(id) || settled.includes(id))).toStrictEqual(sorted(pending));
      // Whatever else the log holds: in id order, each once, and none holds the type.
      expect(ids).toStrictEqual([...new Set(sorted(ids))]);
      for (const id of ids) {
        const stream = await log().read('transfer', id, 1);
        expect(stream.length).toBeGreaterThan(0);
        expect(stream.some((event) => event.eventType === 'TransferSettled')).toBe(false);
      }
    });

    it('pages through the streams without a type from each page\'s last id, every one once, whatever the limit', async () => {
      const base = subject.key();
      const pending = ['c', 'a', 'e', 'b', 'd'].map((label) => `${base}${label}`);
      for (const id of pending) await appendStream('transfer', id, ['TransferRequested', 'TransferDebited']);
      const settled = [`${base}x`, `${base}y`];
      for (const id of settled) await appendStream('transfer', id, ['TransferRequested', 'TransferSettled']);
      const all = (await allStreamsWithout(log(), 'transfer', 'TransferSettled', 1_000)).ids;

      for (const limit of [1, 2, 3, 1_000]) {
        const { ids, sizes } = await allStreamsWithout(log(), 'transfer', 'TransferSettled', limit);
        // Never more than the limit, full pages until the last (which may be empty); each stream once, in id order.
        expect(sizes.every((size) => size <= limit)).toBe(true);
        expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
        expect(ids).toStrictEqual(all);
        expect(ids.filter((id) => pending.includes(id) || settled.includes(id))).toStrictEqual(sorted(pending));
      }
      // After an id: the streams that follow it, not the id itself.
      const [first, second] = sorted(pending);
      const after = await log().streamsWithout('transfer', 'TransferSettled', 1_000, first);
      expect(after).not.toContain(first);
      expect(after).toContain(second);
      expect(after).toStrictEqual(all.filter((id) => compareCodePoints(id, first!) > 0));
    });

    it('keeps the aggregate types apart: a stream of another type is neither found nor counted as having the type', async () => {
      const accountOnly = subject.key('acc');
      await appendStream('account', accountOnly, ['AccountOpened', 'MoneyDeposited']);
      // One id in both types: the transfer stream settled, the account stream without the type.
      const both = subject.key('both');
      await appendStream('transfer', both, ['TransferRequested', 'TransferSettled']);
      await appendStream('account', both, ['AccountOpened']);
      // And the other way round: the account stream has the type, the transfer stream does not.
      const other = subject.key('other');
      await appendStream('account', other, ['AccountOpened', 'TransferSettled']);
      await appendStream('transfer', other, ['TransferRequested']);

      const transfers = (await allStreamsWithout(log(), 'transfer', 'TransferSettled', 2)).ids;
      expect(transfers.filter((id) => [accountOnly, both, other].includes(id))).toStrictEqual([other]);
      const accounts = (await allStreamsWithout(log(), 'account', 'TransferSettled', 2)).ids;
      expect(accounts.filter((id) => [accountOnly, both, other].includes(id))).toStrictEqual(sorted([accountOnly, both]));
    });

    it('answers no stream when every stream of the type holds an event of that type', async () => {
      // A log of its own: the suite's log holds streams of other tests that lack the type.
      const own = await factory();
      try {
        expect(await own.log.streamsWithout('transfer', 'TransferSettled', 10)).toStrictEqual([]);
        const base = subject.key();
        const ids = [`${base}b`, `${base}a`, `${base}c`];
        for (const id of ids) {
          expect(await own.log.append(envelope('transfer', id, 1, { eventType: 'TransferRequested' }))).toEqual({ ok: true });
          expect(await own.log.append(envelope('transfer', id, 2, { eventType: 'TransferSettled' }))).toEqual({ ok: true });
        }
        expect(await own.log.append(envelope('account', subject.key('acc'), 1, { eventType: 'AccountOpened' }))).toEqual({ ok: true });
        expect(await own.log.streamsWithout('transfer', 'TransferSettled', 10)).toStrictEqual([]);
        expect(await own.log.streamsWithout('transfer', 'TransferSettled', 10, ids[0])).toStrictEqual([]);
        // The same streams, asked about another type, are all there.
        expect(await own.log.streamsWithout('transfer', 'TransferCredited', 10)).toStrictEqual(sorted(ids));
      } finally {
        await own.cleanup?.();
      }
    });

    it('lists the stream ids of a type in id order, page after page from the last id, each once, types kept apart', async () => {
      const base = subject.key();
      // Appended out of id order, one of them with several events, one id in both types.
      const accounts = ['c', 'a', 'b'].map((label) => `${base}${label}`);
      await appendStream('account', accounts[0]!, ['AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn']);
      await appendStream('account', accounts[1]!, ['AccountOpened']);
      await appendStream('account', accounts[2]!, ['AccountOpened', 'MoneyDeposited']);
      await appendStream('transfer', accounts[1]!, ['TransferRequested']);
      await appendStream('transfer', `${base}t`, ['TransferRequested']);
      const every = async (type: AggregateType, limit: number): Promise<{ ids: string[]; sizes: number[] }> => {
        const ids: string[] = [];
        const sizes: number[] = [];
        for (;;) {
          const page = await log().streamIds(type, limit, ids.at(-1));
          sizes.push(page.length);
          ids.push(...page);
          if (page.length < limit) return { ids, sizes };
        }
      };
      const all = (await every('account', 1_000)).ids;
      expect(all).toStrictEqual([...new Set(sorted(all))]);
      expect(all.filter((id) => id.startsWith(base))).toStrictEqual(sorted(accounts));
      for (const limit of [1, 2, 1_000]) {
        const { ids, sizes } = await every('account', limit);
        expect(sizes.every((size) => size <= limit)).toBe(true);
        expect(ids).toStrictEqual(all);
      }
      expect((await every('transfer', 1_000)).ids.filter((id) => id.startsWith(base))).toStrictEqual(sorted([accounts[1]!, `${base}t`]));
      // After an id: the streams that follow it, not the id itself.
      const first = sorted(accounts)[0]!;
      expect(await log().streamIds('account', 1_000, first)).toStrictEqual(all.filter((id) => compareCodePoints(id, first) > 0));
    });

    it('counts the events it holds, of one aggregate type when asked', async () => {
      const [all, accounts, transfers] = [await log().count(), await log().count('account'), await log().count('transfer')];
      expect(accounts + transfers).toBe(all);
      const id = subject.key();
      for (const version of [1, 2, 3]) await log().append(envelope('account', id, version));
      await log().append(envelope('transfer', id, 1));
      expect(await log().count()).toBe(all + 4);
      expect(await log().count('account')).toBe(accounts + 3);
      expect(await log().count('transfer')).toBe(transfers + 1);
    });
  });
}
