import { hostname } from 'node:os';
import { ContainerModule } from 'inversify';
import { pino } from 'pino';
import { RandomIdGenerator } from '../adapters/system/random-id-generator.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import type { Config } from './config.js';
import { defaultApplicationOptions } from './defaults.js';
import { TOKENS } from './tokens.js';

/** Clock, ids, logging and tuning: what every backend shares. */
export const systemModule = (config: Config): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Clock).toConstantValue(new SystemClock());
    bind(TOKENS.IdGenerator).toConstantValue(new RandomIdGenerator());
    bind(TOKENS.RootLogger).toConstantValue(
      pino({ level: config.logLevel, redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' } }),
    );
    bind(TOKENS.ApplicationOptions)
      .toResolvedValue((ids: RandomIdGenerator) => defaultApplicationOptions(`${hostname()}-${process.pid}-${ids.newId().slice(0, 8)}`, config.projections), [
        TOKENS.IdGenerator,
      ])
      .inSingletonScope();
  });
