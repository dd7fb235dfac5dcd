import { ContainerModule } from 'inversify';
import { createHazelcastBackend } from '../adapters/hazelcast/hazelcast-backend.js';
import { factory, singletons } from './construct.js';
import { TOKENS, type Backend } from './tokens.js';

/** Every port on a Hazelcast cluster; start-up fails with one line when no member answers. */
export const hazelcastModule = new ContainerModule(({ bind }) => {
  const singleton = singletons(bind);
  singleton(
    TOKENS.Backend,
    factory(
      [TOKENS.Clock, TOKENS.Config],
      async (clock, config): Promise<Backend> =>
        createHazelcastBackend(clock, {
          members: config.hazelcast.members,
          clusterName: config.hazelcast.clusterName,
          shardCount: config.shards,
          namespace: config.hazelcast.namespace,
          connectTimeoutMs: 30_000,
          invocationTimeoutMs: 10_000,
          nearCache: config.hazelcast.nearCache,
          smartRouting: config.hazelcast.smartRouting,
          postgres: config.postgres,
        }),
    ),
  );
});
