import type { HazelcastJsonValue, IMap } from 'hazelcast-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BackendPorts } from '../../src/application/application.js';
import { hazelcastPorts } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { hazelcastNames } from '../../src/adapters/hazelcast/names.js';
import { BackendUnavailableError } from '../../src/application/ports/backend-errors.js';
import type { ParkedAggregate } from '../../src/domain/ports/parked-aggregates.port.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import type { AccountView } from '../../src/domain/ports/read-model.port.js';
import { eventually } from '../support/eventually.js';
import { envelope } from './contract-events.js';
import { shardOf } from '../../src/domain/shared/shard.js';
import { FixedClock } from '../support/fixed-clock.js';
import { testRecordedEvents } from '../support/test-database.js';
import { openTestConnection, uniqueNamespace } from '../support/hazelcast-app.js';
import { accountViewsContract } from './account-views.contract.js';
import { backendInspectionContract } from './backend-inspection.contract.js';
import { checkpointsContract } from './checkpoints.contract.js';
import { backendStatusContract } from './backend-status.contract.js';
import { eventBusContract } from './event-bus.contract.js';
import { eventLogContract } from './event-log.contract.js';
import { idempotencyStoreContract } from './idempotency-store.contract.js';
import { parkedAggregatesContract } from './parked-aggregates.contract.js';
import { projectionLeasesContract } from './projection-leases.contract.js';
import { readModelGenerationsContract } from './read-model-generations.contract.js';
import { persistedWatermarkContract } from './persisted-watermark.contract.js';
import { snapshotStoreContract } from './snapshot-store.contract.js';
import { transactionHistoryContract } from './transaction-history.contract.js';
import { transferSnapshotsContract } from './transfer-snapshots.contract.js';
import { transferViewsContract } from './transfer-views.contract.js';

/**
 * The same contract suites as the memory adapters, against a real member: one client, a namespace
 * per suite. A second client plays another process where a suite asks for a peer.
 */
let connection: HazelcastConnection;
let peerConnection: HazelcastConnection;

beforeAll(async () => {
  connection = await openTestConnection();
  peerConnection = await openTestConnection();
});

afterAll(async () => {
  await peerConnection?.close();
  await connection?.close();
});

const ports = async (suite: string, clock = new FixedClock(), shardCount = 4): Promise<BackendPorts & { namespace: string; peer: () => Promise<BackendPorts> }> => {
  const namespace = uniqueNamespace(suite);
  return {
    ...(await hazelcastPorts(connection, clock, { namespace, shardCount, recorded: testRecordedEvents(namespace) })),
    namespace,
    peer: () => hazelcastPorts(peerConnection, clock, { namespace, shardCount, recorded: testRecordedEvents(namespace) }),
  };
};

// Leases judge expiry by the clock they are given; TTLs of idempotency records run on the member's clock.
const leasesClock = { controllableClock: true } as const;
const memberClock = { controllableClock: false } as const;

eventLogContract('hazelcast', async () => {
  const p = await ports('log');
  return { log: p.eventLog, namespace: p.namespace };
});
snapshotStoreContract('hazelcast', async () => {
  const p = await ports('snap');
  return { store: p.accountSnapshots, namespace: p.namespace };
});
transferSnapshotsContract('hazelcast', async () => {
  const p = await ports('tsnap');
  return { store: p.transferSnapshots, namespace: p.namespace };
});
// `hzcqrs-small*` topics have the member's 16-item ringbuffer; the suite is told the real capacity.
eventBusContract('hazelcast', async ({ shardCount }) => {
  const p = await ports('small-bus', new FixedClock(), shardCount);
  return { publisher: p.publisher, feed: p.feed, capacity: 16, namespace: p.namespace };
});
backendInspectionContract('hazelcast', async () => {
  const p = await ports('inspect');
  return { publisher: p.publisher, feed: p.feed, inspection: p.inspection, kind: 'hazelcast', namespace: p.namespace };
});
checkpointsContract('hazelcast', async () => {
  const p = await ports('cp');
  return { checkpoints: p.checkpoints, namespace: p.namespace };
});
backendStatusContract('hazelcast', async () => {
  const p = await ports('status');
  return { status: p.status, checkpoints: p.checkpoints, namespace: p.namespace };
});
projectionLeasesContract(
  'hazelcast',
  async () => {
    const clock = new FixedClock();
    const p = await ports('lease', clock);
    return { leases: p.leases, clock, namespace: p.namespace };
  },
  leasesClock,
);
accountViewsContract('hazelcast', async () => {
  const p = await ports('av');
  return { views: p.accountViews, peer: (await p.peer()).accountViews, namespace: p.namespace };
});
transferViewsContract('hazelcast', async () => {
  const p = await ports('tv');
  return { views: p.transferViews, peer: (await p.peer()).transferViews, namespace: p.namespace };
});
transactionHistoryContract('hazelcast', async () => {
  const p = await ports('hist');
  return { history: p.transactionHistory, namespace: p.namespace };
});
idempotencyStoreContract(
  'hazelcast',
  async () => {
    const p = await ports('idem');
    return { store: p.idempotency, namespace: p.namespace };
  },
  memberClock,
);
readModelGenerationsContract('hazelcast', async () => {
  const p = await ports('gen');
  return { generations: p.generations, peer: (await p.peer()).generations, namespace: p.namespace };
});
persistedWatermarkContract('hazelcast', async () => {
  const p = await ports('pw');
  return { persisted: p.persistedWatermark, generations: p.generations, peer: (await p.peer()).persistedWatermark, namespace: p.namespace };
});
parkedAggregatesContract('hazelcast', async () => {
  const p = await ports('park');
  return { parked: p.parked, peer: (await p.peer()).parked, namespace: p.namespace };
});

/**
 * What the Hazelcast adapters keep in the process to save round trips, beyond what the contracts
 * say: calls are counted on the client's map proxy, which every adapter of that client shares.
 */
/** Asks until an answer comes from the mirror (no `containsKey`), with a deadline; each answer must be `expected`. */
const answeredByMirror = async (ask: () => Promise<boolean>, lookups: { readonly mock: { readonly calls: readonly unknown[] } }, expected: boolean): Promise<void> => {
  await eventually(
    async () => {
      const before = lookups.mock.calls.length;
      expect(await ask()).toBe(expected);
      return lookups.mock.calls.length === before;
    },
    { timeoutMs: 10_000, message: 'the mirror answers again' },
  );
};

describe('Hazelcast event log: the member publishes what is appended (ADR 0032)', () => {
  it('publishes each appended event once on its shard, in version order, as appended; nothing for a conflict', async () => {
    const p = await ports('member-pub');
    expect(p.eventLog.publishesAppends).toBe(true);
    const shard = shardOf('pub-a', p.feed.shardCount);
    const from = await p.feed.nextSequence(shard);
    const events = [1, 2, 3, 4, 5].map((version) => envelope('account', 'pub-a', version));
    for (const event of events) expect(await p.eventLog.append(event)).toEqual({ ok: true });
    // A rival at a taken version changes nothing and publishes nothing.
    expect(await p.eventLog.append(envelope('account', 'pub-a', 3, { eventId: 'rival' }))).toEqual({ ok: false, reason: 'conflict', existing: events[2] });
    const seen: EventEnvelope[] = [];
    let next = from;
    await eventually(
      async () => {
        const batch = await p.feed.read(shard, next, 16, 0);
        seen.push(...batch.items.map((item) => item.event));
        next = batch.nextSequence;
        return seen.length >= events.length;
      },
      { timeoutMs: 10_000, message: 'the member published the appended events' },
    );
    // Exactly the events as appended (without what the log stores beside them), in order.
    expect(seen).toStrictEqual(events);
    expect((await p.feed.read(shard, next, 16, 0)).items).toEqual([]);
  });

  it('publishes nothing when the service publishes for itself', async () => {
    const namespace = uniqueNamespace('service-pub');
    const p = await hazelcastPorts(connection, new FixedClock(), { namespace, shardCount: 4, publication: 'service', recorded: testRecordedEvents(namespace) });
    expect(p.eventLog.publishesAppends).toBe(false);
    const shard = shardOf('pub-b', 4);
    const from = await p.feed.nextSequence(shard);
    await p.eventLog.append(envelope('account', 'pub-b', 1));
    // The marker published after the append arrives; nothing came before it.
    const marker = envelope('account', 'pub-b', 2);
    await p.publisher.publish([marker]);
    let batch = await p.feed.read(shard, from, 16, 0);
    await eventually(
      async () => {
        batch = await p.feed.read(shard, from, 16, 0);
        return batch.items.length > 0;
      },
      { timeoutMs: 10_000, message: 'the marker arrived' },
    );
    expect(batch.items.map((item) => item.event)).toStrictEqual([marker]);
  });
});

describe('Hazelcast adapters: round trips saved, and the answers unchanged', () => {
  const mapOf = (name: string): Promise<IMap<string, HazelcastJsonValue>> => connection.client.getMap<string, HazelcastJsonValue>(name);
  const view = (accountId: string, version: number, balance: number): AccountView => ({
    accountId,
    owner: 'o',
    currency: 'KRW',
    balance,
    status: 'open',
    version,
    openedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  const entry = (projection: string, aggregateId: string): ParkedAggregate => ({
    projection,
    aggregateType: 'account',
    aggregateId,
    version: 3,
    reason: 'poison',
    parkedAt: '2026-01-01T00:00:00.000Z',
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('asks a ringbuffer its tail only when a read does not go on where the last one with items ended', async () => {
    const p = await ports('rt-tail');
    const ringbuffer = await connection.client.getRingbuffer(hazelcastNames(p.namespace).ringbuffer(0));
    const tails = vi.spyOn(ringbuffer, 'tailSequence');
    const onShard0 = Array.from({ length: 200 }, (_, i) => `acc-${i}`).filter((id) => shardOf(id, p.feed.shardCount) === 0).slice(0, 3);
    await p.publisher.publish(onShard0.map((id) => envelope('account', id, 1)));
    const first = await p.feed.read(0, 0, 2, 0);
    expect(first.items).toHaveLength(2);
    expect(tails).toHaveBeenCalledTimes(1);
    // Going on from there: no tail asked, and the items are the next ones.
    const second = await p.feed.read(0, first.nextSequence, 10, 0);
    expect(second.items.map((item) => item.event.aggregateId)).toEqual([onShard0[2]]);
    expect(tails).toHaveBeenCalledTimes(1);
    // Anywhere else (here: from the start again), the tail is asked as before.
    expect((await p.feed.read(0, 0, 10, 0)).items).toHaveLength(3);
    expect(tails).toHaveBeenCalledTimes(2);
  });

  it('writes a view over the bytes just read or written, without reading them again', async () => {
    const p = await ports('rt-view');
    const views = p.accountViews;
    const reads = vi.spyOn(await mapOf(hazelcastNames(p.namespace).accountViews), 'getEntryView');
    expect(await views.compareAndSet('a', view('a', 1, 10), 0)).toBe(true);
    expect(await views.compareAndSet('a', view('a', 2, 20), 1)).toBe(true);
    expect(reads).toHaveBeenCalledTimes(0);
    // A projection reads the view fresh, then writes over it: one read in all.
    expect((await views.get('a', { fresh: true }))?.version).toBe(2);
    expect(await views.compareAndSet('a', view('a', 3, 30), 2)).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await views.get('a', { fresh: true })).toStrictEqual(view('a', 3, 30));
  });

  it('reads the stored view when another process wrote since, and answers as the contract says', async () => {
    const p = await ports('rt-peer');
    const views = p.accountViews;
    const other = (await p.peer()).accountViews;
    const reads = vi.spyOn(await mapOf(hazelcastNames(p.namespace).accountViews), 'getEntryView');
    expect(await views.compareAndSet('a', view('a', 1, 10), 0)).toBe(true);
    expect(await other.compareAndSet('a', view('a', 2, 20), 1)).toBe(true);
    // What this instance remembers is version 1, no longer stored: the replace fails, the read decides.
    expect(await views.compareAndSet('a', view('a', 2, 99), 1)).toBe(false);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await views.compareAndSet('a', view('a', 3, 30), 2)).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1);
    // Same version, other content (a stale mark written elsewhere): the write still goes over it.
    expect(await other.compareAndSet('a', { ...view('a', 3, 30), stale: { failedAt: 4, reason: 'poison' } }, 3)).toBe(true);
    expect(await views.compareAndSet('a', view('a', 4, 40), 3)).toBe(true);
    expect(await other.get('a', { fresh: true })).toStrictEqual(view('a', 4, 40));
  });

  it('never takes a remembered view for a stored one once the map is cleared', async () => {
    const p = await ports('rt-clear');
    const views = p.accountViews;
    expect(await views.compareAndSet('a', view('a', 1, 10), 0)).toBe(true);
    await (await mapOf(hazelcastNames(p.namespace).accountViews)).clear();
    expect(await views.compareAndSet('a', view('a', 2, 20), 1)).toBe(false);
    expect(await views.get('a', { fresh: true })).toBeUndefined();
    expect(await views.compareAndSet('a', view('a', 1, 11), 0)).toBe(true);
    expect(await views.compareAndSet('a', view('a', 2, 21), 1)).toBe(true);
    expect(await views.get('a', { fresh: true })).toStrictEqual(view('a', 2, 21));
  });

  it("answers isParked from the mirror, which follows another process's parks and removals", async () => {
    const p = await ports('rt-park');
    const other = (await p.peer()).parked;
    const lookups = vi.spyOn(await mapOf(hazelcastNames(p.namespace).parked), 'containsKey');
    expect(await p.parked.isParked('accounts', 'a')).toBe(false);
    await other.park(entry('accounts', 'a'));
    await eventually(() => p.parked.isParked('accounts', 'a'), { timeoutMs: 10_000, message: 'the park is seen' });
    await other.remove('accounts', 'a');
    await eventually(async () => !(await p.parked.isParked('accounts', 'a')), { timeoutMs: 10_000, message: 'the removal is seen' });
    expect(lookups).toHaveBeenCalledTimes(0);
    // Its own park is answered at once, by the map until the park's event is back, then by the mirror.
    await p.parked.park(entry('accounts', 'b'));
    expect(await p.parked.isParked('accounts', 'b')).toBe(true);
    await answeredByMirror(() => p.parked.isParked('accounts', 'b'), lookups, true);
  });

  it("never lets the event of an earlier write undo a later one of its own", async () => {
    const p = await ports('rt-echo');
    const lookups = vi.spyOn(await mapOf(hazelcastNames(p.namespace).parked), 'containsKey');
    expect(await p.parked.isParked('accounts', 'a')).toBe(false);
    for (let round = 0; round < 20; round++) {
      await p.parked.park(entry('accounts', 'a'));
      await p.parked.park(entry('accounts', 'b'));
      await p.parked.remove('accounts', 'a');
      expect(await p.parked.isParked('accounts', 'a')).toBe(false);
      // Once every event is back the mirror answers, and the park heard after the removal undid nothing.
      await answeredByMirror(() => p.parked.isParked('accounts', 'a'), lookups, false);
    }
  });

  it('finds parked keys written before the mirror was loaded', async () => {
    const p = await ports('rt-before');
    const other = (await p.peer()).parked;
    await other.park(entry('accounts', 'a'));
    await other.park(entry('transfers', 'a'));
    await other.remove('transfers', 'a');
    expect(await p.parked.isParked('accounts', 'a')).toBe(true);
    expect(await p.parked.isParked('transfers', 'a')).toBe(false);
  });

  it('asks the map while the mirror cannot be loaded, and mirrors once it can', async () => {
    const p = await ports('rt-fallback');
    const map = await mapOf(hazelcastNames(p.namespace).parked);
    const other = (await p.peer()).parked;
    await other.park(entry('accounts', 'a'));
    const lookups = vi.spyOn(map, 'containsKey');
    vi.spyOn(map, 'addEntryListener').mockRejectedValueOnce(new Error('listener refused'));
    const keySet = vi.spyOn(map, 'keySet').mockRejectedValueOnce(new Error('key set refused'));
    // First the registration fails, then the read of the key set: both times the map answers.
    expect(await p.parked.isParked('accounts', 'a')).toBe(true);
    expect(await p.parked.isParked('accounts', 'b')).toBe(false);
    expect(lookups).toHaveBeenCalledTimes(2);
    expect(keySet).toHaveBeenCalledTimes(1);
    // Then it loads, and the mirror answers.
    expect(await p.parked.isParked('accounts', 'a')).toBe(true);
    expect(await p.parked.isParked('accounts', 'b')).toBe(false);
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('asks the map about a key whose park failed here, until a write of it succeeds', async () => {
    const p = await ports('rt-failed');
    const map = await mapOf(hazelcastNames(p.namespace).parked);
    expect(await p.parked.isParked('accounts', 'a')).toBe(false);
    const lookups = vi.spyOn(map, 'containsKey');
    vi.spyOn(map, 'set').mockRejectedValueOnce(new Error('member gone'));
    await expect(p.parked.park(entry('accounts', 'a'))).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(await p.parked.isParked('accounts', 'a')).toBe(false);
    expect(lookups).toHaveBeenCalledTimes(1);
    await p.parked.park(entry('accounts', 'a'));
    expect(await p.parked.isParked('accounts', 'a')).toBe(true);
    await answeredByMirror(() => p.parked.isParked('accounts', 'a'), lookups, true);
  });
});
