import { describe, expect, it } from 'vitest';
import { RecentMap } from '../../src/support/recent-map.js';

describe('RecentMap', () => {
  it('keeps the keys set most recently, dropping the oldest first', () => {
    const map = new RecentMap<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c'].entries()) map.set(key, i);
    // Setting `a` again makes it the newest: `b` is now the oldest.
    map.set('a', 10);
    map.set('d', 3);
    expect(map.size).toBe(3);
    expect(map.get('b')).toBeUndefined();
    expect([map.get('a'), map.get('c'), map.get('d')]).toEqual([10, 2, 3]);
    map.set('e', 4);
    expect(map.get('c')).toBeUndefined();
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(2);
  });

  it('remembers nothing with a capacity of 0', () => {
    const map = new RecentMap<string, number>(0);
    map.set('a', 1);
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(0);
  });
});
