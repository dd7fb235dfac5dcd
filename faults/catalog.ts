/**
 * The faults of the run, one injection each: what is done to the cluster, an instance, the
 * network or PostgreSQL, and for how long. Returns the line the report shows in "what was done".
 */
import { until, startInstance, waitReady, request, type Instance } from './instances.js';
import type { OutageObserver } from './outage-observer.js';
import type { SplitState } from './split-brain.js';
import type { TcpProxy } from './tcp-proxy.js';
import type { Cluster } from '../tools/cluster.js';
import type { FaultName, HarnessOptions } from './options.js';

export const longOutageOf = (options: HarnessOptions): number => options.longOutageMs ?? 120_000;

export const inject = async (
  fault: FaultName,
  cluster: Cluster,
  instances: Instance[],
  pgProxy: TcpProxy,
  netProxy: TcpProxy | undefined,
  options: HarnessOptions,
  observer: OutageObserver,
  split?: SplitState,
): Promise<string> => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  switch (fault) {
    case 'kill-member':
      await cluster.killMember(1, 'SIGKILL');
      await pause(options.outageMs);
      await cluster.startMember(1);
      return 'kill -9 of member 1, restarted';
    case 'stop-member':
      await cluster.killMember(1, 'SIGSTOP');
      await pause(options.outageMs);
      await cluster.killMember(1, 'SIGCONT');
      return `SIGSTOP of member 1 for ${options.outageMs / 1000} s, then SIGCONT`;
    case 'kill-instance': {
      const owner = await projectionOwner(instances);
      instances[owner]!.child.kill('SIGKILL');
      await pause(options.outageMs / 4);
      instances[owner]!.child = startInstance(instances[owner]!.env, instances[owner]!.uid);
      await waitReady(instances[owner]!);
      return `kill -9 of instance ${owner} (it owned projection shards), restarted`;
    }
    case 'slow-projection': {
      const owner = await projectionOwner(instances);
      instances[owner]!.child.kill('SIGSTOP');
      await pause(options.outageMs);
      instances[owner]!.child.kill('SIGCONT');
      return `instance ${owner} (projection owner) stopped ${options.outageMs / 1000} s while writes went on; ringbuffers of 16 items`;
    }
    case 'network':
      netProxy!.degrade({ delayMs: 30, dropEveryMs: options.outageMs / 3 });
      await pause(options.outageMs);
      netProxy!.degrade(undefined);
      return `instance 1 reaches the cluster through a proxy adding 30 ms per chunk and cutting its connections every ${(options.outageMs / 3000).toFixed(1)} s, for ${options.outageMs / 1000} s`;
    case 'postgres-restart':
      await pgProxy.cut();
      await pause(options.outageMs / 2);
      await pgProxy.restore();
      return `PostgreSQL unreachable from the members for ${options.outageMs / 2000} s (connections cut), then back`;
    case 'cluster-outage': {
      observer.outageStarted();
      for (const member of cluster.members.keys()) await cluster.killMember(member, 'SIGKILL');
      await pause(longOutageOf(options));
      // The cluster is back when its first member is ready (it loads the log from PostgreSQL); the others join it.
      const restarting = Date.now();
      await cluster.startMember(0);
      observer.dependencyBack();
      const firstReadyMs = Date.now() - restarting;
      for (const member of [...cluster.members.keys()].slice(1)) await cluster.startMember(member);
      return `kill -9 of all three members for ${longOutageOf(options) / 1000} s, then restarted (the first ready ${(firstReadyMs / 1000).toFixed(1)} s after its start, loading the log from PostgreSQL)`;
    }
    case 'postgres-outage':
      observer.outageStarted();
      await pgProxy.cut();
      await pause(longOutageOf(options));
      await pgProxy.restore();
      observer.dependencyBack();
      return `PostgreSQL unreachable from the members for ${longOutageOf(options) / 1000} s (connections cut and refused), then back`;
    case 'split-brain': {
      const state = split!;
      const side = (members: readonly number[], instance: number) => ({
        members: members.map((i) => ({ host: cluster.members[i]!.host!, port: cluster.members[i]!.port })),
        clientUids: [instances[instance]!.uid!],
      });
      const sizes = async (): Promise<(number | undefined)[]> => Promise.all([0, 1, 2].map(async (i) => (await cluster.health(i))?.clusterSize));
      const cutAt = Date.now();
      let healAt = cutAt;
      try {
        await state.partition.cut(side([0, 1], 0), side([2], 1));
        state.formedMs = await until('members 0 and 1 in a cluster of two, member 2 alone', async () => (await sizes()).join() === '2,2,1', 60_000, 200);
        await pause(options.outageMs);
        healAt = Date.now();
        await state.partition.heal();
        state.mergedMs = await until('the three members merged into one cluster', async () => (await sizes()).join() === '3,3,3', 180_000, 200);
        state.partitioned(cutAt, Date.now());
      } finally {
        await state.partition.heal();
        state.done = true;
      }
      return `members 0+1 (instance 0) cut from member 2 (instance 1) for ${((healAt - cutAt) / 1000).toFixed(0)} s: two clusters ${(state.formedMs / 1000).toFixed(1)} s after the cut, merged ${(state.mergedMs / 1000).toFixed(1)} s after the heal`;
    }
  }
};

const projectionOwner = async (instances: readonly Instance[]): Promise<number> => {
  for (const [i, instance] of instances.entries()) {
    const status = await request(instance, 'GET', '/admin/projections');
    const shards = (status?.json['shards'] ?? []) as { owned: boolean }[];
    if (shards.some((s) => s.owned)) return i;
  }
  return 0;
};
