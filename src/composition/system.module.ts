import { hostname } from 'node:os';
import { ContainerModule } from 'inversify';
import { pino } from 'pino';
import { RandomIdGenerator } from '../adapters/system/random-id-generator.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import type { Config } from './config.js';
import { applicationLogger } from './application-logger.js';
import { defaultApplicationOptions } from './defaults.js';
import { factory, singletons } from './construct.js';
import { TOKENS } from './tokens.js';

/** Clock, ids, logging, waiting and tuning: what every backend shares. */
export const systemModule = (config: Config): ContainerModule =>
  new ContainerModule(({ bind }) => {
    const singleton = singletons(bind);
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Clock).toConstantValue(new SystemClock());
    bind(TOKENS.IdGenerator).toConstantValue(new RandomIdGenerator());
    bind(TOKENS.RootLogger).toConstantValue(
      pino({ level: config.logLevel, redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' } }),
    );
    singleton(
      TOKENS.Logger,
      factory([TOKENS.RootLogger], (logger) => applicationLogger(logger)),
    );
    bind(TOKENS.Pause).toConstantValue((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    singleton(
      TOKENS.ApplicationOptions,
      factory([TOKENS.IdGenerator], (ids) => defaultApplicationOptions(`${hostname()}-${process.pid}-${ids.newId().slice(0, 8)}`, config.projections)),
    );
  });
