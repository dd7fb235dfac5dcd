import type { FastifyPluginAsync } from 'fastify';
import type { RequestTypesFromSchemas } from '../request-types.js';
import type { Application, Freshness } from '../../../application/application.js';
import { warnIfStale } from '../staleness.js';
import { etagOf } from '../if-match.js';
import { HttpProblem } from '../problems/problem-error.js';
import { accountPageResponse, accountParams, accountResponse, getAccountQuery, listAccountsQuery, transactionPageResponse, transactionsQuery } from './account.schemas.js';
import { commonProblems, problemResponses, WAIT_MS } from '../schemas.js';
import { accountBody, NOT_KNOWN_CURRENT, transactionBody } from '../views.js';

interface FreshnessQuery {
  minVersion?: number;
  waitMs?: number;
}

const freshnessOf = ({ minVersion, waitMs }: FreshnessQuery): Freshness | undefined =>
  minVersion === undefined ? undefined : { minVersion, waitMs: waitMs ?? WAIT_MS.default };

const READ_YOUR_WRITES =
  'minVersion=N waits (up to waitMs, 0..5000, default 2000) until the read model holds version N or later; ' +
  'if it does not in time: 503 /problems/read-model-lagging with Retry-After. Without minVersion the read model answers at once. ' +
  NOT_KNOWN_CURRENT;

/** The read side of accounts, served from the read model. */
export const accountQueryRoutes: FastifyPluginAsync<{ application: Application }> = async (plugin, { application }) => {
  // Request types come from the route's JSON schemas.
  const app = plugin.withTypeProvider<RequestTypesFromSchemas>();
  const queries = application.accountQueries;

  app.get(
    '/accounts',
    {
      config: { scope: 'read', query: 'list-accounts' },
      schema: {
        tags: ['accounts'],
        summary: 'List accounts by accountId, filtered; balance bounds are inclusive',
        description: NOT_KNOWN_CURRENT,
        querystring: listAccountsQuery,
        response: { 200: accountPageResponse, ...problemResponses(...commonProblems.guarded, 'validation', 'read-model-lagging', 'unavailable') },
      },
    },
    async (request) => {
      const { minBalance, maxBalance } = request.query;
      if (minBalance !== undefined && maxBalance !== undefined && minBalance > maxBalance) {
        throw new HttpProblem('validation', 'minBalance must not exceed maxBalance');
      }
      const page = await queries.list(request.query);
      return { items: page.items.map(accountBody), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/accounts/:accountId',
    {
      config: { scope: 'read', query: 'get-account' },
      schema: {
        tags: ['accounts'],
        summary: 'Read an account',
        description: READ_YOUR_WRITES,
        params: accountParams,
        querystring: getAccountQuery,
        response: {
          200: accountResponse,
          ...problemResponses(...commonProblems.guarded, 'validation', 'not-found', 'read-model-lagging', 'unavailable'),
        },
      },
    },
    async (request, reply) => {
      const view = await queries.get(request.params.accountId, freshnessOf(request.query));
      return warnIfStale(reply, view.stale).header('etag', etagOf(view.version)).send(accountBody(view));
    },
  );

  app.get(
    '/accounts/:accountId/transactions',
    {
      config: { scope: 'read', query: 'list-transactions' },
      schema: {
        tags: ['accounts'],
        summary: "An account's transactions by ascending version",
        description: READ_YOUR_WRITES,
        params: accountParams,
        querystring: transactionsQuery,
        response: {
          200: transactionPageResponse,
          ...problemResponses(...commonProblems.guarded, 'validation', 'not-found', 'read-model-lagging', 'unavailable'),
        },
      },
    },
    async (request, reply) => {
      const { limit, cursor } = request.query;
      const page = await queries.transactions(
        request.params.accountId,
        { limit, ...(cursor === undefined ? {} : { cursor }) },
        freshnessOf(request.query),
      );
      return reply.header('etag', etagOf(page.version)).send({ items: page.items.map(transactionBody), nextCursor: page.nextCursor });
    },
  );
};
