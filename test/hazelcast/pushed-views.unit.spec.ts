import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PushedViews } from '../../src/adapters/hazelcast/pushed-views.js';
import { TEST_SEED } from '../support/seeded-random.js';

interface View {
  readonly version: number;
}

describe('views pushed by the member, held to answer plain reads', () => {
  it('answers with the view held, for at most maxAgeMs after it arrived', () => {
    const pushed = new PushedViews<View>(1_000, 10);
    pushed.accept('a', { version: 3 }, 5_000, 0);
    expect(pushed.lookup('a', 5_000, 0)).toEqual({ view: { version: 3 }, current: true });
    expect(pushed.lookup('a', 6_000, 0)).toEqual({ view: { version: 3 }, current: true });
    // A later change whose event was lost: after maxAgeMs the held view answers no more, but its
    // version is still known.
    expect(pushed.lookup('a', 6_001, 0)).toEqual({ view: { version: 3 }, current: false });
    pushed.accept('a', { version: 3 }, 6_500, 0);
    expect(pushed.lookup('a', 7_000, 0)?.current).toBe(true);
    expect(pushed.lookup('b', 5_000, 0)).toBeUndefined();
  });

  it('never lets an older version replace a newer one, whatever the order of arrival', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }), (versions) => {
        const pushed = new PushedViews<View>(60_000, 10);
        versions.forEach((version, i) => {
          pushed.accept('a', { version }, i, 0);
          expect(pushed.lookup('a', i, 0)?.view.version).toBe(Math.max(...versions.slice(0, i + 1)));
        });
      }),
      { seed: TEST_SEED },
    );
  });

  it('drops everything when the connection epoch changes: events sent meanwhile are lost', () => {
    const pushed = new PushedViews<View>(60_000, 10);
    pushed.accept('a', { version: 1 }, 0, 0);
    pushed.accept('b', { version: 1 }, 0, 0);
    expect(pushed.lookup('a', 0, 1)).toBeUndefined();
    expect(pushed.lookup('b', 0, 0)).toBeUndefined();
    pushed.accept('a', { version: 2 }, 0, 1);
    expect(pushed.lookup('a', 0, 1)?.view).toEqual({ version: 2 });
  });

  it('forgets a removed view, all on clear, and holds at most its capacity', () => {
    const pushed = new PushedViews<View>(60_000, 2);
    pushed.accept('a', { version: 1 }, 0, 0);
    pushed.accept('b', { version: 1 }, 0, 0);
    pushed.forget('a');
    expect(pushed.lookup('a', 0, 0)).toBeUndefined();
    pushed.accept('c', { version: 1 }, 0, 0);
    pushed.accept('d', { version: 1 }, 0, 0);
    expect(pushed.lookup('b', 0, 0)).toBeUndefined();
    expect(pushed.lookup('d', 0, 0)?.view).toEqual({ version: 1 });
    pushed.clear();
    expect(pushed.lookup('d', 0, 0)).toBeUndefined();
  });
});
