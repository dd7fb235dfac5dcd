import { ContainerModule } from 'inversify';
import type { Logger as PinoLogger } from 'pino';
import { Application, type ApplicationOptions } from '../application/application.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { IdGenerator } from '../domain/ports/id-generator.port.js';
import { TOKENS, type Backend } from './tokens.js';
import { applicationLogger } from './application-logger.js';

export const applicationModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Application)
    .toResolvedValue(
      (backend: Backend, clock: Clock, ids: IdGenerator, logger: PinoLogger, options: ApplicationOptions) =>
        new Application(backend.ports, clock, ids, applicationLogger(logger), options),
      [TOKENS.Backend, TOKENS.Clock, TOKENS.IdGenerator, TOKENS.RootLogger, TOKENS.ApplicationOptions],
    )
    .inSingletonScope();
});
