import { describe, expect, it } from 'vitest';
import type { BackendPorts } from '../../src/application/application.js';
import { createMemoryBackend, type MemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { createMemoryApp } from '../support/memory-app.js';
import { eventually } from '../support/eventually.js';
import { foldLog } from '../support/fold-of-log.js';

/**
 * Ports whose every store but the log can be replaced at once, as a full cluster restart replaces
 * them under a running process: the connection epoch changes, the log stays.
 */
const restartable = (clock: SystemClock): { ports: (ports: BackendPorts) => Partial<BackendPorts>; restart(): MemoryBackend; current(): MemoryBackend } => {
  const make = (): MemoryBackend => createMemoryBackend(clock, { shardCount: 2, bufferCapacity: 10_000 });
  let current = make();
  let epoch = 0;
  const through = <K extends keyof BackendPorts>(key: K): BackendPorts[K] =>
    new Proxy({} as object, {
      get: (_target, property) => {
        const port = current[key] as unknown as Record<string | symbol, unknown>;
        const value = port[property];
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(port) : value;
      },
    }) as BackendPorts[K];
  const replaced = [
    'accountSnapshots',
    'transferSnapshots',
    'publisher',
    'feed',
    'checkpoints',
    'leases',
    'accountViews',
    'transactionHistory',
    'transferViews',
    'idempotency',
    'parked',
    'generations',
  ] as const;
  return {
    ports: (ports) => ({
      ...Object.fromEntries(replaced.map((key) => [key, through(key)])),
      feed: { ...through('feed'), shardCount: ports.feed.shardCount } as BackendPorts['feed'],
      status: { check: () => ({ connected: true }), connectionEpoch: () => epoch },
    }),
    restart: () => {
      const log = current.eventLog;
      current = { ...make(), eventLog: log };
      epoch++;
      return current;
    },
    current: () => current,
  };
};

describe('a full restart under a process that reads a rebuilt generation', () => {
  it('replays into the generation the cluster has active, and the process reads that one', async () => {
    const clock = new SystemClock();
    const cluster = restartable(clock);
    const { app } = createMemoryApp({ clock, shardCount: 2, overrides: (ports) => ({ ...cluster.ports(ports), eventLog: cluster.current().eventLog }) });
    const log = cluster.current().eventLog;
    await app.start();
    try {
      for (const id of ['a', 'b']) await app.accounts.open({ accountId: id, owner: id, currency: 'KRW' });
      await app.accounts.deposit('a', 10);
      await app.rebuilder.rebuild('accounts');
      await eventually(() => app.readModel.activeGeneration('accounts') === 1, { message: 'the process reads the rebuilt generation' });

      // The cluster restarts: its views, checkpoints and generations are new and empty.
      const restarted = cluster.restart();
      await app.accounts.deposit('b', 7);
      await app.reconciler.sweep();
      await eventually(() => app.currency.known, { message: 'the replay finished and the process knows it' });

      const expected = foldLog(log.all());
      for (const id of ['a', 'b']) {
        // What every other process reads: the cluster's active generation, filled by the replay.
        expect(await restarted.accountViews.get(id), id).toEqual(expected.accounts.get(id));
        expect(await app.accountQueries.get(id)).toEqual(expected.accounts.get(id));
      }
      expect(app.readModel.activeGeneration('accounts')).toBe(0);
    } finally {
      await app.stop();
    }
  });
});
