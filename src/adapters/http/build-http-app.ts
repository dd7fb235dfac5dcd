import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Registry } from 'prom-client';
import type { Application } from '../../application/application.js';
import { accountCommandRoutes } from './accounts/account-command.routes.js';
import { accountQueryRoutes } from './accounts/account-query.routes.js';
import { adminRoutes } from './admin/admin.routes.js';
import { registerBearerAuth, type ApiTokens } from './auth.js';
import { registerRateLimit, type RateLimit } from './rate-limit.js';
import { registerClosingRefusal } from './closing.js';
import { consoleRoutes } from './console/console.routes.js';
import { frameworkErrors, registerErrorHandling } from './problems/error-handling.js';
import { registerIdempotency } from './idempotency.js';
import { BODY_LIMIT_BYTES, registerJsonBodies } from './json-bodies.js';
import { HttpMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { operationsRoutes } from './operations/operations.routes.js';
import { registerQueryCoercion } from './query-coercion.js';
import { registerRequestState } from './request-state.js';
import { transferRoutes } from './transfers/transfer.routes.js';

export { parseApiTokens, type ApiTokens } from './auth.js';

export interface HttpDeps {
  readonly application: Application;
  /** token → scopes; when absent the API is open. */
  readonly apiTokens?: ApiTokens;
  /** Logger options for a logger of the app's own; its Authorization headers are redacted. */
  readonly logger?: FastifyServerOptions['logger'];
  /**
   * A logger made elsewhere (the process's root logger); it wins over `logger`. Its owner redacts
   * `req.headers.authorization` (fastify's request serializer does not log headers anyway).
   */
  readonly loggerInstance?: FastifyBaseLogger;
  /** Optional limit of requests per caller and minute (429 beyond it). */
  readonly rateLimit?: RateLimit;
  /** The registry /metrics exposes; one per app (a new one when absent), never the global default. */
  readonly metrics?: Registry;
}

const REDACTED = { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' };

const loggerOf = ({ logger, loggerInstance }: HttpDeps): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> => {
  if (loggerInstance) return { loggerInstance };
  return { logger: logger ? { ...(logger === true ? {} : logger), redact: REDACTED } : false };
};

/** The HTTP API over an application; the caller listens (or injects, in tests). */
export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOf(deps),
    bodyLimit: BODY_LIMIT_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Bodies are typed strictly: "10" is not an amount. Query strings are coerced in query-coercion.ts.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false } },
    frameworkErrors,
    // closing.ts answers instead, with problem details.
    return503OnClosing: false,
  });
  registerRequestState(app);
  registerErrorHandling(app);
  registerClosingRefusal(app);
  registerJsonBodies(app);
  registerQueryCoercion(app);
  if (deps.apiTokens) registerBearerAuth(app, deps.apiTokens);
  if (deps.rateLimit) await registerRateLimit(app, deps.rateLimit);
  registerIdempotency(app, deps.application.idempotency);
  const metrics = new HttpMetrics(deps.metrics ?? new Registry(), deps.application);
  metrics.instrument(app);
  await registerOpenApi(app);

  const { application } = deps;
  await app.register(accountCommandRoutes, { application });
  await app.register(accountQueryRoutes, { application });
  await app.register(transferRoutes, { application });
  await app.register(operationsRoutes, { application, metrics });
  await app.register(adminRoutes, { application });
  await app.register(consoleRoutes, { application, metrics });
  return app;
}
