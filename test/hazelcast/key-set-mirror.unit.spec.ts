import type { IMap } from 'hazelcast-client';
import { describe, expect, it } from 'vitest';
import type { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { KeySetMirror } from '../../src/adapters/hazelcast/key-set-mirror.js';

type Listener = Record<string, ((event: { key: string }) => void) | undefined>;

/**
 * A map whose entry events the test delivers when it chooses, as a busy member does: the event of a
 * write can come after the answer to a later write.
 */
const scene = () => {
  const stored = new Set<string>();
  const held: { type: 'added' | 'removed'; key: string }[] = [];
  let listener: Listener = {};
  let lookups = 0;
  const map = {
    addEntryListener: (l: Listener) => {
      listener = l;
      return Promise.resolve('registration');
    },
    keySet: () => Promise.resolve([...stored]),
    containsKey: (key: string) => {
      lookups++;
      return Promise.resolve(stored.has(key));
    },
    set: (key: string) => {
      stored.add(key);
      held.push({ type: 'added', key });
      return Promise.resolve();
    },
    remove: (key: string) => {
      const had = stored.delete(key);
      if (had) held.push({ type: 'removed', key });
      return Promise.resolve(had ? 'old value' : null);
    },
  };
  const connection = {
    call: <T>(_operation: string, work: () => Promise<T>) => work(),
    membership: () => '0/0',
  } as unknown as HazelcastConnection;
  const mirror = new KeySetMirror(connection, map as unknown as IMap<string, unknown>, 'check');
  return {
    mirror,
    park: (key: string) => mirror.write(key, async () => (await map.set(key), true)),
    unpark: (key: string) => mirror.write(key, async () => (await map.remove(key)) !== null),
    /** Delivers the next `count` held events, in the order of their writes. */
    deliver: (count = held.length) => {
      for (const event of held.splice(0, count)) listener[event.type]?.({ key: event.key });
    },
    lookups: () => lookups,
  };
};

describe('the key-set mirror and the events of its own writes', () => {
  it('is not undone by the event of an earlier write heard after a later one', async () => {
    const s = scene();
    expect(await s.mirror.has('a')).toBe(false);
    await s.park('a');
    await s.park('b');
    await s.unpark('a');
    // The park of a is heard now, after its removal was answered: a is not parked.
    s.deliver(1);
    expect(await s.mirror.has('a')).toBe(false);
    expect(await s.mirror.has('b')).toBe(true);
    s.deliver();
    const before = s.lookups();
    expect(await s.mirror.has('a')).toBe(false);
    expect(await s.mirror.has('b')).toBe(true);
    // Every event back: the mirror answers again, without asking the map.
    expect(s.lookups()).toBe(before);
  });

  it('asks nothing about a key whose removal changed nothing (no event follows it)', async () => {
    const s = scene();
    expect(await s.mirror.has('a')).toBe(false);
    await s.unpark('a');
    const before = s.lookups();
    expect(await s.mirror.has('a')).toBe(false);
    expect(s.lookups()).toBe(before);
  });
});
