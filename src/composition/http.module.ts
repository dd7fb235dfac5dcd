import { ContainerModule } from 'inversify';
import { buildHttpApp } from '../adapters/http/build-http-app.js';
import { factory, singletons } from './construct.js';
import { TOKENS } from './tokens.js';

export const httpModule = new ContainerModule(({ bind }) => {
  const singleton = singletons(bind);
  singleton(
    TOKENS.HttpServer,
    factory([TOKENS.Application, TOKENS.Config, TOKENS.RootLogger], (application, config, logger) =>
      buildHttpApp({
        application,
        ...(config.apiTokens ? { apiTokens: config.apiTokens } : {}),
        ...(config.rateLimitPerMinute ? { rateLimit: { perMinute: config.rateLimitPerMinute } } : {}),
        loggerInstance: logger,
      }),
    ),
  );
});
