import { describe, expect, it } from 'vitest';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { AWKWARD_TEXT, canonicalJson, useSubject, type ContractSubject } from './contract-support.js';
import { byEventId, envelope, freeWindow, iso } from './contract-events.js';

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
      const window = await log().recordedBetween(windowMs, windowMs + 1_000, 100);
      expect(window).toStrictEqual({ events: [], complete: true });
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

    it('round-trips events exactly, through read and through recordedBetween', async () => {
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
      const window = await log().recordedBetween(windowMs, windowMs + 10, 100);
      expect(window.complete).toBe(true);
      expect(byEventId(window.events)).toStrictEqual(byEventId(events));
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

      const window = await log().recordedBetween(from, to, 100);
      expect(window.complete).toBe(true);
      expect(byEventId(window.events)).toStrictEqual(byEventId(inside));
      expect(await log().recordedBetween(from, from, 100)).toStrictEqual({ events: [], complete: true });
    });

    it('returns limit events and complete=false when more matched, complete=true when all fit', async () => {
      const windowMs = await freeWindow(log());
      const id = subject.key();
      const events = [1, 2, 3, 4, 5].map((version) => envelope('transfer', id, version, { timestamp: iso(windowMs + version) }));
      for (const event of events) await log().append(event);
      const ids = new Set(events.map((event) => event.eventId));

      for (const limit of [1, 2, 4]) {
        const window = await log().recordedBetween(windowMs, windowMs + 100, limit);
        expect(window.complete).toBe(false);
        expect(window.events).toHaveLength(limit);
        expect(new Set(window.events.map((event) => event.eventId)).size).toBe(limit);
        for (const event of window.events) expect(ids.has(event.eventId)).toBe(true);
      }
      for (const limit of [5, 6, 1_000]) {
        const window = await log().recordedBetween(windowMs, windowMs + 100, limit);
        expect(window.complete).toBe(true);
        expect(byEventId(window.events)).toStrictEqual(byEventId(events));
      }
    });
  });
}
