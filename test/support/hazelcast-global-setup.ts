import type { TestProject } from 'vitest/node';
import { startCluster, stopCluster } from '../../scripts/cluster.mjs';

export const TEST_CLUSTER = { clusterName: 'hzcqrs-test', basePort: 5801, stateDir: '.hazelcast/test-cluster' } as const;

declare module 'vitest' {
  export interface ProvidedContext {
    hazelcast: { readonly addresses: readonly string[]; readonly clusterName: string } | null;
  }
}

/**
 * One Hazelcast member for every suite that runs against the real backend, started from the jars
 * the project resolves with Maven, on its own port and cluster name. HZCQRS_TEST_HAZELCAST=0 skips it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env['HZCQRS_TEST_HAZELCAST'] === '0') {
    project.provide('hazelcast', null);
    return async () => undefined;
  }
  // A run that crashed may have left its member behind: never reuse it.
  await stopCluster(TEST_CLUSTER.stateDir);
  const cluster = await startCluster({ members: 1, ...TEST_CLUSTER });
  project.provide('hazelcast', { addresses: cluster.addresses, clusterName: TEST_CLUSTER.clusterName });
  return async () => {
    await cluster.stop();
  };
}
