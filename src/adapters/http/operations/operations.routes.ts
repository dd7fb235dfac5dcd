import type { FastifyPluginAsync } from 'fastify';
import type { Application } from '../../../application/application.js';
import type { HttpMetrics } from '../metrics.js';
import { HttpProblem } from '../problems/problem-error.js';
import { commonProblems, noQuery, problemResponses, statusResponse } from '../schemas.js';

/** Liveness, readiness, metrics and the OpenAPI document. */
export const operationsRoutes: FastifyPluginAsync<{ application: Application; metrics: HttpMetrics }> = async (
  app,
  { application, metrics },
) => {
  app.get(
    '/health',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: 200 while the process runs; needs no token',
        security: [],
        querystring: noQuery,
        response: { 200: statusResponse('ok', 'The process runs') },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the backend is connected, projections run, and the read model is known current',
        description:
          'Else 503 /problems/unavailable whose `missing` lists what is not ready; after a full cluster restart it stays 503 ' +
          'until the log has been replayed into the views.',
        querystring: noQuery,
        response: { 200: statusResponse('ready', 'Ready to serve'), ...problemResponses(...commonProblems.guarded, 'validation', 'unavailable') },
      },
    },
    async () => {
      const readiness = application.readiness();
      if (!readiness.ready) throw new HttpProblem('unavailable', 'the service is not ready', { missing: readiness.missing });
      return { status: 'ready' };
    },
  );

  app.get(
    '/metrics',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description:
          'hzcqrs_commands_total{command,outcome}, hzcqrs_query_duration_seconds{query}, hzcqrs_events_projected_total{projection}, ' +
          'hzcqrs_projection_lag_events{shard}, hzcqrs_projection_lag_seconds{shard} (shards this process projects), and process metrics.',
        querystring: noQuery,
        response: {
          200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
          ...problemResponses(...commonProblems.guarded, 'validation'),
        },
      },
    },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  app.get(
    '/openapi.json',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['operations'],
        summary: 'This OpenAPI document',
        querystring: noQuery,
        response: {
          200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } },
          ...problemResponses(...commonProblems.guarded, 'validation'),
        },
      },
    },
    async (_request, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())),
  );
};
