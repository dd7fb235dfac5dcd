import path from 'node:path';
import { startCluster, stopCluster, type Cluster, type Persistence } from '../../tools/cluster.js';
import { testPersistence } from './test-database.js';
import type { Application, ApplicationOptions } from '../../src/application/application.js';
import { createHazelcastBackend, type HazelcastBackend } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { composeTestApplication } from './test-composition.js';
import { SequentialIds } from './sequential-ids.js';
import { freeBasePort } from '../../tools/free-port.js';
import type { PgSettings } from '../../tools/db.js';

/** A cluster of its own for a test that kills or stops members; stopped by the returned cluster's stop(). */
export const startOwnCluster = async (
  name: string,
  members: number,
  options: {
    readonly persistence?: Persistence | false;
    /** The cluster's bound on the event log in memory (ADR 0049); default as tools/cluster.ts decides. */
    readonly eventsInMemory?: number | false;
  } = {},
): Promise<Cluster> => {
  const stateDir = path.join('.hazelcast', `test-run-${process.pid}-${name}`);
  await stopCluster(stateDir);
  return startCluster({
    members,
    basePort: await freeBasePort(5901),
    clusterName: `hzcqrs-${name}-${process.pid}`,
    stateDir,
    persistence: options.persistence ?? testPersistence(),
    ...(options.eventsInMemory === undefined ? {} : { eventsInMemory: options.eventsInMemory }),
  });
};

/**
 * A backend on a cluster of the test's own, in a namespace; it reads the log from `postgres` (by
 * default the test database, directly).
 */
export const connectOwn = (cluster: Cluster, namespace: string, postgres: PgSettings = testPersistence().settings): Promise<HazelcastBackend> =>
  createHazelcastBackend(new SystemClock(), {
    members: cluster.addresses,
    clusterName: cluster.clusterName,
    shardCount: 4,
    namespace,
    connectTimeoutMs: 30_000,
    invocationTimeoutMs: 10_000,
    nearCache: true,
    postgres,
  });

/** An application over such a backend, with ids of its own. */
export const applicationOn = (backend: HazelcastBackend, ids: string, options?: ApplicationOptions): Application =>
  composeTestApplication(backend.ports, { clock: new SystemClock(), ids: new SequentialIds(ids), ...(options ? { options } : {}) });
