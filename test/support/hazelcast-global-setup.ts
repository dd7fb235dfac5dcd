import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { freeBasePort } from '../../tools/free-port.js';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROOT, startCluster, stopCluster } from '../../tools/cluster.js';
import { testPersistence } from './test-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    hazelcast: { readonly addresses: readonly string[]; readonly clusterName: string } | null;
  }
}

const STATE_ROOT = '.hazelcast';
const PREFIX = 'test-run-';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Members left by test runs that died: their run's process is gone, so nobody else will stop them. */
const stopOrphans = async (): Promise<void> => {
  const root = path.join(ROOT, STATE_ROOT);
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const pid = entry.startsWith(PREFIX) ? Number(entry.slice(PREFIX.length)) : Number.NaN;
    if (Number.isInteger(pid) && !isAlive(pid)) await stopCluster(path.join(STATE_ROOT, entry));
  }
};

/**
 * One Hazelcast member for every suite that runs against the real backend, started from the jars
 * the project resolves with Maven, on a free port and a cluster name of its own.
 * HZCQRS_TEST_HAZELCAST=0 skips it (and the suites that need it fail loudly).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env['HZCQRS_TEST_HAZELCAST'] === '0') {
    project.provide('hazelcast', null);
    return async () => undefined;
  }
  // Every test project runs this setup; they share one member, stopped when the last one is done.
  const shared = globalThis as typeof globalThis & { hzcqrsTestCluster?: { cluster: ReturnType<typeof start>; users: number } };
  shared.hzcqrsTestCluster ??= { cluster: start(), users: 0 };
  const entry = shared.hzcqrsTestCluster;
  entry.users++;
  const cluster = await entry.cluster;
  project.provide('hazelcast', { addresses: cluster.addresses, clusterName: cluster.clusterName });
  return async () => {
    if (--entry.users > 0) return;
    delete shared.hzcqrsTestCluster;
    await cluster.stop();
  };
}

const start = async (): Promise<Awaited<ReturnType<typeof startCluster>>> => {
  // Tests that run the service as a process (shutdown, fault harness) need it built.
  await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  await stopOrphans();
  const stateDir = path.join(STATE_ROOT, `${PREFIX}${process.pid}`);
  return startCluster({
    members: 1,
    basePort: await freeBasePort(5801),
    clusterName: `hzcqrs-test-${process.pid}`,
    stateDir,
    persistence: testPersistence(),
    // Every suite has a namespace of its own on this one member, and a map with a map store holds a
    // record store in each of its 271 partitions: about 1 MB per map before any entry (measured with
    // 100 maps). A whole run makes several hundred such maps, past the default 1 GB.
    heap: ['-Xms256m', '-Xmx3g'],
  });
};
