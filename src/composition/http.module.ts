import { ContainerModule } from 'inversify';
import type { Logger as PinoLogger } from 'pino';
import type { Application } from '../application/application.js';
import { buildHttpApp } from '../adapters/http/build-http-app.js';
import type { Config } from './config.js';
import { TOKENS } from './tokens.js';

export const httpModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.HttpServer)
    .toResolvedValue(
      (application: Application, config: Config, logger: PinoLogger) =>
        buildHttpApp({
          application,
          ...(config.apiTokens ? { apiTokens: config.apiTokens } : {}),
          ...(config.rateLimitPerMinute ? { rateLimit: { perMinute: config.rateLimitPerMinute } } : {}),
          loggerInstance: logger,
        }),
      [TOKENS.Application, TOKENS.Config, TOKENS.RootLogger],
    )
    .inSingletonScope();
});
