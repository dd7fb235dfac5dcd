import { ContainerModule } from 'inversify';
import { createMemoryBackend } from '../adapters/memory/memory-backend.js';
import { factory, singletons } from './construct.js';
import { TOKENS, type Backend } from './tokens.js';

/** The embedded default: every port in this process. */
export const memoryModule = new ContainerModule(({ bind }) => {
  const singleton = singletons(bind);
  singleton(
    TOKENS.Backend,
    factory(
      [TOKENS.Clock, TOKENS.Config],
      (clock, config): Backend => ({
        ports: createMemoryBackend(clock, { shardCount: config.shards, bufferCapacity: 10_000 }),
        close: async () => undefined,
      }),
    ),
  );
});
