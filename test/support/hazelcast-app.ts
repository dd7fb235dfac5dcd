import { inject } from 'vitest';
import type { Application, ApplicationOptions, BackendPorts } from '../../src/application/application.js';
import { createHazelcastBackend, type HazelcastBackend, type HazelcastBackendOptions } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import type { Clock } from '../../src/domain/ports/clock.port.js';
import { SequentialIds } from './sequential-ids.js';
import { testPersistence } from './test-database.js';
import { composeTestApplication, testApplicationOptions } from './test-composition.js';

let namespaces = 0;
/** This run among all runs that wrote to the test database. */
const RUN = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/**
 * A namespace no other suite of this run, nor of an earlier run (the test database keeps what the
 * members wrote through to it), uses: suites share the test cluster and database without meeting.
 */
export const uniqueNamespace = (suite: string): string => `hzcqrs-${suite}-${RUN}-${namespaces++}`;

export const testCluster = (): { readonly addresses: readonly string[]; readonly clusterName: string } => {
  const cluster = inject('hazelcast');
  if (!cluster) throw new Error('the Hazelcast test cluster was not started (HZCQRS_TEST_HAZELCAST=0)');
  return cluster;
};

export const connectTestBackend = async (
  namespace: string,
  options: Partial<HazelcastBackendOptions> = {},
  clock: Clock = new SystemClock(),
): Promise<HazelcastBackend> => {
  const cluster = testCluster();
  return createHazelcastBackend(clock, {
    members: cluster.addresses,
    clusterName: cluster.clusterName,
    shardCount: 4,
    namespace,
    connectTimeoutMs: 30_000,
    invocationTimeoutMs: 15_000,
    nearCache: true,
    postgres: testPersistence().settings,
    ...options,
  });
};

export interface HazelcastApp {
  readonly app: Application;
  readonly backend: HazelcastBackend;
  close(): Promise<void>;
}

export const createHazelcastApp = async (
  namespace: string,
  options: { readonly ownerId?: string; readonly runProjections?: boolean; readonly backend?: Partial<HazelcastBackendOptions>; readonly overrides?: (ports: BackendPorts) => Partial<BackendPorts>; readonly applicationOptions?: Partial<ApplicationOptions> } = {},
): Promise<HazelcastApp> => {
  const backend = await connectTestBackend(namespace, options.backend);
  const app = composeTestApplication(backend.ports, {
    ports: options.overrides?.(backend.ports) ?? {},
    clock: new SystemClock(),
    ids: new SequentialIds(`${options.ownerId ?? 'app'}-`),
    options: { ...testApplicationOptions(), ...options.applicationOptions, ownerId: options.ownerId ?? 'test-owner', runProjections: options.runProjections ?? true },
  });
  return {
    app,
    backend,
    close: async () => {
      await app.stop();
      await backend.close();
    },
  };
};

/** One client on the test cluster, every namespace's views through the Near Cache (by wildcard). */
export const openTestConnection = (): Promise<HazelcastConnection> => {
  const cluster = testCluster();
  return HazelcastConnection.open({
    members: cluster.addresses,
    clusterName: cluster.clusterName,
    connectTimeoutMs: 30_000,
    invocationTimeoutMs: 15_000,
    nearCachedMaps: ['*.views.accounts', '*.views.transfers'],
  });
};
