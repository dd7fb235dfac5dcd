import { ContainerModule } from 'inversify';
import { createMemoryBackend } from '../adapters/memory/memory-backend.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { Config } from './config.js';
import { TOKENS, type Backend } from './tokens.js';

/** The embedded default: every port in this process. */
export const memoryModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Backend)
    .toResolvedValue(
      (clock: Clock, config: Config): Backend => ({
        ports: createMemoryBackend(clock, { shardCount: config.shards, bufferCapacity: 10_000 }),
        close: async () => undefined,
      }),
      [TOKENS.Clock, TOKENS.Config],
    )
    .inSingletonScope();
});
