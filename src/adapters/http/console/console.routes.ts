import type { FastifyPluginAsync } from 'fastify';
import type { RequestTypesFromSchemas } from '../request-types.js';
import type { Application } from '../../../application/application.js';
import type { AggregateType } from '../../../domain/shared/event-envelope.js';
import { loadConsoleAssets, type ConsoleAssetName } from './console-assets.js';
import { consoleOverviewResponse, eventsQuery, lookupResponse, recentEventsResponse } from './console.schemas.js';
import type { HttpMetrics } from '../metrics.js';
import { accountParams } from '../accounts/account.schemas.js';
import { commonProblems, noQuery, problemResponses } from '../schemas.js';
import { transferParams } from '../transfers/transfer.schemas.js';

/** Nothing but this service: no inline code, no other origin, not framed. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const PARKED_SHOWN = 100;

/**
 * The operations console (ADR 0034): a page whose files need no token (they hold no data; a browser
 * cannot send a bearer token when it opens a page), and data routes under /admin/console that
 * need the admin scope. The page asks for the token and keeps it in the tab's memory only.
 */
export const consoleRoutes: FastifyPluginAsync<{ application: Application; metrics: HttpMetrics }> = async (plugin, { application, metrics }) => {
  // Request types come from the route's JSON schemas.
  const app = plugin.withTypeProvider<RequestTypesFromSchemas>();
  const assets = await loadConsoleAssets();
  const inspection = application.inspection;

  const page = (url: string, name: ConsoleAssetName, summary: string): void => {
    const asset = assets[name];
    app.get(
      url,
      {
        config: { scope: 'public' },
        schema: {
          tags: ['console'],
          summary,
          security: [],
          querystring: noQuery,
          response: {
            200: { description: asset.contentType, content: { [asset.contentType.split(';')[0]!]: { schema: { type: 'string' } } } },
            ...problemResponses('validation', 'too-many-requests', 'internal'),
          },
        },
      },
      async (_request, reply) => reply.headers(PAGE_HEADERS).type(asset.contentType).send(asset.body),
    );
  };
  page('/console', 'index.html', 'The operations console: one page, live; it asks for an admin token when tokens are on');
  page('/console/console.js', 'console.js', "The console's script");
  page('/console/console.css', 'console.css', "The console's style sheet");

  app.get(
    '/admin/console/overview',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['console'],
        summary: 'Flow, projections, parked aggregates and the cluster, as this instance sees them now',
        querystring: noQuery,
        response: { 200: consoleOverviewResponse, ...problemResponses(...commonProblems.guarded, 'validation', 'unavailable') },
      },
    },
    async () => {
      const [projections, parked, cluster] = await Promise.all([
        inspection.projections(),
        application.administration.listParked(PARKED_SHOWN),
        inspection.cluster(),
      ]);
      return { at: inspection.now(), instance: inspection.instance, flow: metrics.flow.snapshot(), projections, parked: { items: parked }, cluster };
    },
  );

  app.get(
    '/admin/console/events',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['console'],
        summary: 'The newest published events, newest first',
        querystring: eventsQuery,
        response: { 200: recentEventsResponse, ...problemResponses(...commonProblems.guarded, 'validation', 'unavailable') },
      },
    },
    async (request) => ({ items: await inspection.recentEvents(request.query.limit) }),
  );

  const lookup = (url: string, aggregateType: AggregateType, param: 'accountId' | 'transferId'): void => {
    app.get(
      url,
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['console'],
          summary: `The ${aggregateType}'s event history beside its view, with both versions`,
          params: param === 'accountId' ? accountParams : transferParams,
          querystring: noQuery,
          response: { 200: lookupResponse, ...problemResponses(...commonProblems.guarded, 'validation', 'not-found', 'unavailable') },
        },
      },
      // Either schema's one parameter, by the name this lookup was given.
      async (request) => inspection.lookup(aggregateType, (request.params as Record<typeof param, string>)[param]),
    );
  };
  lookup('/admin/console/accounts/:accountId', 'account', 'accountId');
  lookup('/admin/console/transfers/:transferId', 'transfer', 'transferId');
};
