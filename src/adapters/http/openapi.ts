import fastifySwagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { problemCatalog, problemNames } from './problems/problem-catalog.js';
import { problemResponses, problemSchema } from './schemas.js';

const DESCRIPTION = `CQRS and event-sourced accounts and transfers.

**Errors** are \`application/problem+json\` (RFC 9457) with a fixed \`type\` (see the Problem schema). A malformed
id in a path is 400 \`/problems/validation\`, like any other malformed input; a well-formed unknown id is 404.
Unknown query parameters are 400. A known path with another method is 405 with \`Allow\`.

**Bodies** are \`application/json\` only (else 415), at most 1 MiB (else 413), strict: unknown properties,
\`__proto__\` and \`constructor\` keys, and values of the wrong JSON type (\`"amount": "10"\`) are 400.

**Auth.** When the service runs with API_TOKENS, every request but \`GET /health\` needs \`Authorization: Bearer <token>\`
(401 with \`WWW-Authenticate: Bearer\` without a known token) with the scope of the route (403 otherwise): \`read\` for GET
queries and for /ready, /metrics, /openapi.json and /docs; \`write\` for commands; \`admin\` for /admin/ (admin does not
imply read or write). A path no route serves needs a known token of any scope. Without API_TOKENS the API is open.
The console's page files (/console, /console/console.js, /console/console.css) need no token: they hold no data, and the
page asks for an admin token for its data routes under /admin/console/.

**Idempotency-Key** (any POST, 1..128 visible ASCII): a retry with the same key, method, path and body gets the first
answer again (status, body, ETag, Location, Content-Type, Retry-After) and changes nothing; another method, path or body
is 422; a retry while the first runs is 409. Keys are scoped by the caller's token. An invalid request (400, 401, 403,
413, 415) is refused before its key is looked at. 5xx answers are not remembered.

**If-Match** (commands on /accounts/{accountId}/…): one strong tag \`"<version>"\` (412 when the account is at another
version), or \`*\` (any version; the account must exist). Weak tags and lists are 400.

**Versions and ETag**: an account's version counts the events of its stream (1 after opening). Every answer about one
account carries \`ETag: "<version>"\`.

**Transfers** expose transferId, from, to, amount, status, and reason once failed; their times are not exposed.

**Metrics**: \`hzcqrs_commands_total{command,outcome}\` counts outcome \`accepted\`, \`replayed\` (answered from an
Idempotency-Key), or the last segment of the problem type.`;

type OpenApiOptions = NonNullable<FastifyDynamicSwaggerOptions['openapi']>;

/** Shared parts: the auth scheme, every problem type, and the answers any path may give. */
const components = {
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      description: 'Only when API_TOKENS is set. The scope an operation needs is listed in its security requirement.',
    },
  },
  schemas: { Problem: problemSchema(problemNames) },
  responses: {
    MethodNotAllowed: problemResponses('method-not-allowed')[problemCatalog['method-not-allowed'].status],
    RouteNotFound: problemResponses('not-found')[problemCatalog['not-found'].status],
    InternalError: problemResponses('internal')[problemCatalog.internal.status],
  },
};

/** Plain JSON; the OpenAPI typings cannot tell 3.0 from 3.1 parts, so it is typed as a whole. */
const document: unknown = {
  openapi: '3.1.0',
  info: { title: 'hzcqrs', version: '1', description: DESCRIPTION },
  tags: [
    { name: 'accounts', description: 'Accounts: commands and queries' },
    { name: 'transfers', description: 'Transfers between accounts' },
    { name: 'operations', description: 'Health, readiness, metrics, this document' },
    { name: 'admin', description: 'Projections and parked aggregates (scope admin)' },
    { name: 'console', description: 'The operations console at /console: its page (no token) and its data (scope admin)' },
  ],
  components,
};

/** The OpenAPI document made from the route schemas, served at /openapi.json, and its reader at /docs. */
export const registerOpenApi = async (app: FastifyInstance): Promise<void> => {
  await app.register(fastifySwagger, {
    openapi: document as OpenApiOptions,
    transform: ({ schema, url, route }) => {
      const scope = route.config?.scope ?? 'read';
      return { schema: { ...schema, security: scope === 'public' ? [] : [{ bearerAuth: [scope] }] }, url };
    },
    transformObject: (document) => ('openapiObject' in document ? completeDocument(document.openapiObject) : document.swaggerObject),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Everything the page needs is served here: nothing from elsewhere, and no upgrade to https,
    // which would break the page of a service listening on plain http.
    transformStaticCSP: (header) =>
      header
        .replace(/\s*upgrade-insecure-requests;/, '')
        .replace(/ https:/g, '')
        .replace(/ validator\.swagger\.io/, ''),
  });
};

type Document = Record<string, unknown> & { paths?: Record<string, Record<string, Record<string, unknown>>> };

/** What the route schemas cannot say: /docs (served by the UI plugin) and that close takes no body. */
const completeDocument = <T extends object>(openapiObject: T): T => {
  const document = openapiObject as Document;
  const paths = (document.paths ??= {});
  const close = paths['/accounts/{accountId}/close']?.['post']?.['requestBody'] as { required?: boolean } | undefined;
  if (close) close.required = false;
  paths['/docs'] = {
    get: {
      tags: ['operations'],
      summary: 'A page to read this document (assets served by this service)',
      security: [{ bearerAuth: ['read'] }],
      responses: {
        200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } },
        ...problemResponses('unauthorized', 'forbidden', 'internal'),
      },
    },
  };
  return openapiObject;
};
