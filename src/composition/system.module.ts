import { hostname } from 'node:os';
import { ContainerModule } from 'inversify';
import { pino, type Logger as PinoLogger } from 'pino';
import { RandomIdGenerator } from '../adapters/system/random-id-generator.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import type { IdGenerator } from '../domain/ports/id-generator.port.js';
import type { Config } from './config.js';
import { applicationLogger } from './application-logger.js';
import { defaultApplicationOptions } from './defaults.js';
import { TOKENS } from './tokens.js';

/** Clock, ids, logging, waiting and tuning: what every backend shares. */
export const systemModule = (config: Config): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Clock).toConstantValue(new SystemClock());
    bind(TOKENS.IdGenerator).toConstantValue(new RandomIdGenerator());
    bind(TOKENS.RootLogger).toConstantValue(
      pino({ level: config.logLevel, redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' } }),
    );
    bind(TOKENS.Logger)
      .toResolvedValue((logger: PinoLogger) => applicationLogger(logger), [TOKENS.RootLogger])
      .inSingletonScope();
    bind(TOKENS.Pause).toConstantValue((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    bind(TOKENS.ApplicationOptions)
      .toResolvedValue((ids: IdGenerator) => defaultApplicationOptions(`${hostname()}-${process.pid}-${ids.newId().slice(0, 8)}`, config.projections), [
        TOKENS.IdGenerator,
      ])
      .inSingletonScope();
  });
