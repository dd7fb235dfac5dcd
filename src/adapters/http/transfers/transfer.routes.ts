import type { FastifyPluginAsync } from 'fastify';
import type { RequestTypesFromSchemas } from '../request-types.js';
import { JSON_CONTENT_TYPE, runCommand } from '../outcome-unknown.js';
import type { Application } from '../../../application/application.js';
import { warnIfStale } from '../staleness.js';
import { commonProblems, noQuery, postHeaders, problemResponses } from '../schemas.js';
import { transferAcceptedResponse, transferBody as transferRequestBody, transferParams, transferResponse } from './transfer.schemas.js';
import { NOT_KNOWN_CURRENT, transferBody } from '../views.js';

/** Transfers: accepted at once, carried out by the process manager, read from the read model. */
export const transferRoutes: FastifyPluginAsync<{ application: Application }> = async (plugin, { application }) => {
  // Request types come from the route's JSON schemas.
  const app = plugin.withTypeProvider<RequestTypesFromSchemas>();
  app.post(
    '/transfers',
    {
      config: { scope: 'write', command: 'request-transfer' },
      schema: {
        tags: ['transfers'],
        summary: 'Request a transfer between two accounts of the same currency',
        description:
          'from equal to to is 400. Any other well-formed transfer is accepted (202) and carried out asynchronously: ' +
          'it ends completed, or failed with a reason (the debit is given back when the credit is refused).',
        headers: postHeaders,
        querystring: noQuery,
        body: transferRequestBody,
        response: {
          202: transferAcceptedResponse,
          ...problemResponses(...commonProblems.guarded, ...commonProblems.body, ...commonProblems.idempotent, 'duplicate', 'unavailable'),
        },
      },
    },
    async (request, reply) => {
      const { from, to, amount, transferId } = request.body;
      const accepted = await runCommand(
        request,
        () => application.transfers.request({ from, to, amount, ...(transferId === undefined ? {} : { transferId }) }),
        (check) => ({ transferId: check.aggregateId }),
        (requested) => ({
          status: 202,
          headers: { location: `/transfers/${requested.transferId}`, 'content-type': JSON_CONTENT_TYPE },
          body: JSON.stringify({ transferId: requested.transferId }),
        }),
      );
      return reply.code(202).header('location', `/transfers/${accepted.transferId}`).send({ transferId: accepted.transferId });
    },
  );

  app.get(
    '/transfers/:transferId',
    {
      config: { scope: 'read', query: 'get-transfer' },
      schema: {
        tags: ['transfers'],
        summary: 'Read a transfer',
        description: NOT_KNOWN_CURRENT,
        params: transferParams,
        querystring: noQuery,
        response: {
          200: transferResponse,
          ...problemResponses(...commonProblems.guarded, 'validation', 'not-found', 'read-model-lagging', 'unavailable'),
        },
      },
    },
    async (request, reply) => {
      const view = await application.transferQueries.get(request.params.transferId);
      return warnIfStale(reply, view.stale).send(transferBody(view));
    },
  );
};
