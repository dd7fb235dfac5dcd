import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { callerOf } from './auth.js';
import { HttpProblem } from './problems/problem-error.js';

export interface RateLimit {
  /** Requests one caller may make in a minute. */
  readonly perMinute: number;
}

/**
 * At most `perMinute` requests per caller: per token when tokens are on, per address when the API
 * is open. `/health` is never limited. Registered after authentication, which names the caller.
 */
export const registerRateLimit = async (app: FastifyInstance, limit: RateLimit): Promise<void> => {
  await app.register(rateLimit, {
    global: true,
    max: limit.perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => callerOf(request)?.principal ?? request.ip,
    allowList: (request) => request.url === '/health',
    errorResponseBuilder: (_request, context) =>
      new HttpProblem('too-many-requests', `at most ${context.max} requests a minute; try again in ${context.after}`, {}, {
        'retry-after': String(Math.ceil(context.ttl / 1000)),
      }),
  });
};
