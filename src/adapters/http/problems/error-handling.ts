import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemFor } from './error-mapping.js';
import { KnownRoutes } from '../known-routes.js';
import { sendProblem } from './problem-reply.js';

/** Answers whatever a request raised; a bug is logged and answered without internals. */
export const answerError = (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  const problem = problemFor(error);
  if (problem) return sendProblem(request, reply, problem);
  request.log.error({ err: error }, 'request failed with an unexpected error');
  return sendProblem(request, reply, { name: 'internal', detail: 'the server failed to answer this request; it has been logged' });
};

/** Errors fastify meets before it has a route (a malformed URL): same answers as everywhere. */
export const frameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
  answerError(error, request, reply);
};

/** One error handler, one not-found handler; call before any route is added (it records them). */
export const registerErrorHandling = (app: FastifyInstance): void => {
  const known = new KnownRoutes();
  app.addHook('onRoute', (route) => known.add(route.url, route.method));
  app.setErrorHandler((error, request, reply) => answerError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    const allowed = known.allowedAt(path);
    // A route with this method exists (a static file route): the thing asked for does not.
    if (allowed.length === 0 || allowed.includes(request.method)) {
      return sendProblem(request, reply, { name: 'not-found', detail: 'there is no resource at this path' });
    }
    return sendProblem(request, reply, {
      name: 'method-not-allowed',
      detail: `this path supports ${allowed.join(', ')}`,
      headers: { allow: allowed.join(', ') },
    });
  });
};
