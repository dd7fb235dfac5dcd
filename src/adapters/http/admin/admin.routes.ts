import type { FastifyPluginAsync } from 'fastify';
import type { RequestTypesFromSchemas } from '../request-types.js';
import type { Application } from '../../../application/application.js';
import { HttpProblem } from '../problems/problem-error.js';
import { emptyBody } from '../accounts/account.schemas.js';
import { parkedListResponse, parkedParams, parkedQuery, projectionParams, projectionStatusResponse, rebuildQuery, rebuildStatusResponse, retryParkedResponse } from './admin.schemas.js';
import { commonProblems, noQuery, postHeaders, problemResponses } from '../schemas.js';

/** Operations on the read side; scope `admin`. */
export const adminRoutes: FastifyPluginAsync<{ application: Application }> = async (plugin, { application }) => {
  // Request types come from the route's JSON schemas.
  const app = plugin.withTypeProvider<RequestTypesFromSchemas>();
  const administration = application.administration;

  app.get(
    '/admin/projections',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Projection status: checkpoint and lag per shard, counters per projection',
        querystring: noQuery,
        response: { 200: projectionStatusResponse, ...problemResponses(...commonProblems.guarded, 'validation') },
      },
    },
    async () => administration.status(),
  );

  app.get(
    '/admin/parked',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Aggregates parked by a projection',
        querystring: parkedQuery,
        response: { 200: parkedListResponse, ...problemResponses(...commonProblems.guarded, 'validation', 'unavailable') },
      },
    },
    async (request) => ({ items: await administration.listParked(request.query.limit) }),
  );

  app.post(
    '/admin/parked/:projection/:aggregateId/retry',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Unpark an aggregate and catch its view up',
        description: '404 when the aggregate is not parked by that projection.',
        params: parkedParams,
        headers: postHeaders,
        querystring: noQuery,
        body: emptyBody,
        response: {
          200: retryParkedResponse,
          ...problemResponses(...commonProblems.guarded, ...commonProblems.body, ...commonProblems.idempotent, 'not-found', 'unavailable'),
        },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const { projection, aggregateId } = request.params;
      const outcome = await administration.retryParked(projection, aggregateId);
      if (outcome === 'not-parked') throw new HttpProblem('not-found', `${projection} has not parked ${aggregateId}`);
      return { projection, aggregateId, outcome };
    },
  );

  app.post(
    '/admin/projections/:projection/rebuild',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Rebuild a projection from the event log into a fresh generation, then switch queries to it',
        description: '202 once the rebuild has started; follow it with GET on the same path. 409 while one is running.',
        params: projectionParams,
        headers: postHeaders,
        querystring: rebuildQuery,
        body: emptyBody,
        response: {
          202: rebuildStatusResponse,
          ...problemResponses(...commonProblems.guarded, ...commonProblems.body, ...commonProblems.idempotent, 'not-found', 'unavailable'),
        },
      },
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const status = await administration.rebuild(request.params.projection, { force: request.query.force === 'true' });
      return reply.code(202).header('location', `/admin/projections/${request.params.projection}/rebuild`).send(status);
    },
  );

  app.get(
    '/admin/projections/:projection/rebuild',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Progress of the last rebuild this instance ran: events replayed, events/s, ETA',
        params: projectionParams,
        querystring: noQuery,
        response: { 200: rebuildStatusResponse, ...problemResponses(...commonProblems.guarded, 'validation', 'not-found') },
      },
    },
    async (request) => {
      const status = administration.rebuildStatus(request.params.projection);
      if (!status) throw new HttpProblem('not-found', `this instance has not rebuilt ${request.params.projection}`);
      return status;
    },
  );
};
