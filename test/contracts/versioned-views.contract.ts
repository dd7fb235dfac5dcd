import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { VersionedViews } from '../../src/domain/ports/read-model.port.js';
import { eventually } from '../support/eventually.js';
import { propertyParameters, yieldTurns, type ContractSubject, type SuiteSubject } from './contract-support.js';

export interface VersionedViewsSubject<V extends { readonly version: number }> extends ContractSubject {
  readonly views: VersionedViews<V>;
  /**
   * The same stored views through another instance of the adapter, as another process has them.
   * Without one (a store in one process's memory) the suite uses `views` again.
   */
  readonly peer?: VersionedViews<V>;
}

/** Makes a view of `id` at `version`; views with different tags differ in content. */
export type ViewMaker<V> = (id: string, version: number, tag: number) => V;

interface Attempt<V> {
  readonly expected: number;
  readonly view: V;
  readonly ok: boolean;
}

/** Change notifications may come from another process: wait for them, with a deadline. */
const NOTIFICATION_DEADLINE_MS = 10_000;

/**
 * The compare-and-set contract every versioned view store shares: a write applies only over the
 * version it was computed from, so a view never goes back; listeners hear of every change.
 */
export function versionedViewsTests<V extends { readonly version: number }>(
  subject: SuiteSubject<VersionedViewsSubject<V>>,
  viewOf: ViewMaker<V>,
): void {
  const views = (): VersionedViews<V> => subject.get().views;
  const peer = (): VersionedViews<V> => subject.get().peer ?? subject.get().views;
  const fresh = (id: string): Promise<V | undefined> => views().get(id, { fresh: true });

  it('answers undefined for a view never written', async () => {
    const id = subject.key();
    expect(await views().get(id)).toBeUndefined();
    expect(await fresh(id)).toBeUndefined();
  });

  it('creates a view with expectedVersion 0 and round-trips it exactly', async () => {
    const id = subject.key();
    const view = viewOf(id, 1, 1);
    expect(await views().compareAndSet(id, view, 0)).toBe(true);
    expect(await fresh(id)).toStrictEqual(view);
    await eventually(async () => (await views().get(id))?.version === 1, { message: 'a plain get sees the new view' });
    expect(await views().get(id)).toStrictEqual(view);
  });

  it('raises views in a batch: absent ones and older ones are written, newer or equal ones kept; a compare-and-set goes on from them', async () => {
    const [absent, older, equal, newer] = [subject.key('absent'), subject.key('older'), subject.key('equal'), subject.key('newer')];
    expect(await views().compareAndSet(older, viewOf(older, 1, 1), 0)).toBe(true);
    expect(await views().compareAndSet(equal, viewOf(equal, 1, 1), 0)).toBe(true);
    expect(await views().compareAndSet(equal, viewOf(equal, 2, 1), 1)).toBe(true);
    expect(await views().compareAndSet(newer, viewOf(newer, 1, 1), 0)).toBe(true);
    for (let version = 2; version <= 4; version++) expect(await views().compareAndSet(newer, viewOf(newer, version, 1), version - 1)).toBe(true);
    const batch = new Map([
      [absent, viewOf(absent, 3, 2)],
      [older, viewOf(older, 3, 2)],
      [equal, viewOf(equal, 2, 2)],
      [newer, viewOf(newer, 3, 2)],
    ]);
    expect(await views().raiseAll(batch)).toBe(2);
    expect(await fresh(absent)).toStrictEqual(viewOf(absent, 3, 2));
    expect(await fresh(older)).toStrictEqual(viewOf(older, 3, 2));
    expect(await fresh(equal)).toStrictEqual(viewOf(equal, 2, 1));
    expect(await fresh(newer)).toStrictEqual(viewOf(newer, 4, 1));
    expect(await views().raiseAll(new Map())).toBe(0);
    // The raised view is the one the next compare-and-set must name, here and in another process.
    expect(await views().compareAndSet(older, viewOf(older, 4, 3), 1)).toBe(false);
    expect(await peer().compareAndSet(older, viewOf(older, 4, 3), 3)).toBe(true);
    expect(await views().compareAndSet(absent, viewOf(absent, 4, 3), 3)).toBe(true);
  });

  it('overwrites views in a batch without looking at the stored ones; a compare-and-set goes on from them, and listeners hear of each', async () => {
    const [absent, older, newer] = [subject.key('absent'), subject.key('older'), subject.key('newer')];
    expect(await views().compareAndSet(older, viewOf(older, 1, 1), 0)).toBe(true);
    expect(await views().compareAndSet(newer, viewOf(newer, 1, 1), 0)).toBe(true);
    expect(await views().compareAndSet(newer, viewOf(newer, 2, 1), 1)).toBe(true);
    const heard: string[] = [];
    const unsubscribe = views().onChange((id, version) => heard.push(`${id}@${version}`));
    try {
      await views().overwriteAll(new Map([
        [absent, viewOf(absent, 3, 2)],
        [older, viewOf(older, 3, 2)],
        [newer, viewOf(newer, 1, 2)],
      ]));
      // Unlike raiseAll, a newer stored view goes back: only a fresh generation is written this way.
      expect(await fresh(absent)).toStrictEqual(viewOf(absent, 3, 2));
      expect(await fresh(older)).toStrictEqual(viewOf(older, 3, 2));
      expect(await fresh(newer)).toStrictEqual(viewOf(newer, 1, 2));
      const expected = [`${absent}@3`, `${older}@3`, `${newer}@1`];
      await eventually(() => expected.every((h) => heard.includes(h)), { timeoutMs: NOTIFICATION_DEADLINE_MS, message: 'every overwritten view is notified' });
      await views().overwriteAll(new Map());
      expect(await views().compareAndSet(older, viewOf(older, 4, 3), 1)).toBe(false);
      expect(await peer().compareAndSet(older, viewOf(older, 4, 3), 3)).toBe(true);
      expect(await views().compareAndSet(newer, viewOf(newer, 2, 3), 1)).toBe(true);
    } finally {
      unsubscribe();
    }
  });

  it('recalls the view it last wrote without the store, and a write over a recollection another instance overtook fails', async () => {
    const id = subject.key();
    expect(views().recall(id)).toBeUndefined();
    const first = viewOf(id, 1, 1);
    expect(await views().compareAndSet(id, first, 0)).toBe(true);
    expect(views().recall(id)).toStrictEqual(first);
    // Another process moves the view on; what this instance recalls may still be the first view.
    const second = viewOf(id, 2, 2);
    expect(await peer().compareAndSet(id, second, 1)).toBe(true);
    expect([1, 2]).toContain(views().recall(id)?.version);
    // A write computed over the first view is refused, and the newer one stays.
    expect(await views().compareAndSet(id, viewOf(id, 2, 3), 1)).toBe(false);
    expect(await fresh(id)).toStrictEqual(second);
  });

  it('refuses a write over any other version and leaves the view unchanged', async () => {
    const id = subject.key();
    expect(await views().compareAndSet(id, viewOf(id, 2, 1), 1)).toBe(false);
    expect(await fresh(id)).toBeUndefined();

    const stored = viewOf(id, 3, 2);
    await views().compareAndSet(id, stored, 0);
    for (const expected of [0, 1, 2, 4, 5]) {
      expect(await views().compareAndSet(id, viewOf(id, 5, 3), expected)).toBe(false);
      expect(await fresh(id)).toStrictEqual(stored);
    }
  });

  it('applies a chain of writes, each over the one before, and get({ fresh }) returns the latest', async () => {
    const id = subject.key();
    let expected = 0;
    for (const [tag, version] of [1, 2, 5, 6, 40].entries()) {
      const view = viewOf(id, version, tag);
      expect(await views().compareAndSet(id, view, expected)).toBe(true);
      expect(await fresh(id)).toStrictEqual(view);
      expected = version;
    }
    await eventually(async () => (await views().get(id))?.version === 40, { message: 'a plain get catches up' });
  });

  it('keeps to the contract through two instances, whatever each remembers of its own last write', async () => {
    const id = subject.key();
    const [one, other] = [views(), peer()];
    expect(await one.compareAndSet(id, viewOf(id, 1, 1), 0)).toBe(true);
    expect((await other.get(id, { fresh: true }))?.version).toBe(1);
    expect(await other.compareAndSet(id, viewOf(id, 2, 2), 1)).toBe(true);
    // `one` last wrote version 1, which is no longer stored.
    expect(await one.compareAndSet(id, viewOf(id, 3, 3), 1)).toBe(false);
    expect(await fresh(id)).toStrictEqual(viewOf(id, 2, 2));
    expect(await one.compareAndSet(id, viewOf(id, 3, 3), 2)).toBe(true);
    // Likewise `other`, which last wrote version 2.
    expect(await other.compareAndSet(id, viewOf(id, 4, 4), 2)).toBe(false);
    expect(await other.compareAndSet(id, viewOf(id, 4, 4), 3)).toBe(true);
    expect(await fresh(id)).toStrictEqual(viewOf(id, 4, 4));
    expect(await one.compareAndSet(id, viewOf(id, 5, 5), 3)).toBe(false);
    expect(await fresh(id)).toStrictEqual(viewOf(id, 4, 4));
  });

  it('writes over the expected version though another instance rewrote it with other content', async () => {
    const id = subject.key();
    expect(await views().compareAndSet(id, viewOf(id, 1, 1), 0)).toBe(true);
    // A view marked stale keeps its version and changes its content.
    expect(await peer().compareAndSet(id, viewOf(id, 1, 2), 1)).toBe(true);
    // Looked at through the other instance: this one has not read the rewrite.
    expect(await peer().get(id, { fresh: true })).toStrictEqual(viewOf(id, 1, 2));
    expect(await views().compareAndSet(id, viewOf(id, 2, 3), 1)).toBe(true);
    expect(await fresh(id)).toStrictEqual(viewOf(id, 2, 3));
  });

  it('never lets a version go down under racing writes computed from stale reads', async () => {
    const round = fc.record({ reread: fc.boolean(), delta: fc.integer({ min: 1, max: 3 }), turns: fc.nat({ max: 3 }) });
    const workers = fc.array(fc.array(round, { minLength: 1, maxLength: 5 }), { minLength: 2, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(workers, async (plans) => {
        const id = subject.key();
        const attempts: Attempt<V>[] = [];
        const observed: number[] = [];
        let racing = true;
        const observer = (async () => {
          while (racing) {
            observed.push((await fresh(id))?.version ?? 0);
            await yieldTurns(1);
          }
        })();
        await Promise.all(
          plans.map(async (rounds, worker) => {
            // Half the workers write through the other instance, as another process would.
            const writer = worker % 2 === 0 ? views() : peer();
            let seen = 0;
            for (const [index, plan] of rounds.entries()) {
              if (plan.reread) seen = (await writer.get(id, { fresh: true }))?.version ?? 0;
              await yieldTurns(plan.turns);
              const view = viewOf(id, seen + plan.delta, worker * 100 + index);
              const ok = await writer.compareAndSet(id, view, seen);
              attempts.push({ expected: seen, view, ok });
              if (ok) seen = view.version;
            }
          }),
        );
        racing = false;
        await observer;

        // Successful writes form one chain from 0: each was applied over exactly the stored version.
        const applied = attempts.filter((attempt) => attempt.ok).sort((a, b) => a.view.version - b.view.version);
        expect(applied.length).toBeGreaterThan(0);
        applied.forEach((attempt, i) => expect(attempt.expected).toBe(i === 0 ? 0 : applied[i - 1]!.view.version));
        const last = applied.at(-1)!;
        expect(await fresh(id)).toStrictEqual(last.view);
        const appliedVersions = new Set(applied.map((attempt) => attempt.view.version));
        observed.forEach((version, i) => {
          expect(version).toBeGreaterThanOrEqual(i === 0 ? 0 : observed[i - 1]!);
          if (version !== 0) expect(appliedVersions.has(version)).toBe(true);
        });
      }),
      propertyParameters(30),
    );
  });

  it('notifies listeners of every successful write, after it is visible, and of no failed one', async () => {
    const id = subject.key();
    const notified: number[] = [];
    const seenByListener: Promise<number>[] = [];
    const unsubscribe = views().onChange((changedId, version) => {
      if (changedId !== id) return;
      notified.push(version);
      seenByListener.push(fresh(id).then((view) => view?.version ?? 0));
    });
    try {
      expect(await views().compareAndSet(id, viewOf(id, 1, 1), 0)).toBe(true);
      expect(await views().compareAndSet(id, viewOf(id, 99, 2), 5)).toBe(false);
      expect(await views().compareAndSet(id, viewOf(id, 2, 3), 1)).toBe(true);
      expect(await views().compareAndSet(id, viewOf(id, 77, 4), 0)).toBe(false);
      expect(await views().compareAndSet(id, viewOf(id, 3, 5), 2)).toBe(true);
      await eventually(() => notified.includes(3), { timeoutMs: NOTIFICATION_DEADLINE_MS, message: 'the last write is notified' });
      await eventually(() => notified.includes(1) && notified.includes(2), {
        timeoutMs: NOTIFICATION_DEADLINE_MS,
        message: 'every successful write is notified',
      });
      expect([...new Set(notified)].sort((a, b) => a - b)).toEqual([1, 2, 3]);
      // Duplicates may still arrive while this runs: compare what was recorded together.
      const recorded = notified.slice();
      const visible = await Promise.all(seenByListener.slice(0, recorded.length));
      recorded.forEach((version, i) => expect(visible[i]).toBeGreaterThanOrEqual(version));
    } finally {
      unsubscribe();
    }
  });

  it('stops notifying a listener once it unsubscribed', async () => {
    const id = subject.key();
    const gone: number[] = [];
    const kept: number[] = [];
    const unsubscribeGone = views().onChange((changedId, version) => changedId === id && gone.push(version));
    const unsubscribeKept = views().onChange((changedId, version) => changedId === id && kept.push(version));
    try {
      unsubscribeGone();
      unsubscribeGone();
      await views().compareAndSet(id, viewOf(id, 1, 1), 0);
      await eventually(() => kept.includes(1), { timeoutMs: NOTIFICATION_DEADLINE_MS, message: 'the kept listener is notified' });
      expect(gone).toEqual([]);
    } finally {
      unsubscribeKept();
    }
  });
}
