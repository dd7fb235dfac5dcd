import { ID_PATTERN } from '../../domain/shared/identifiers.js';
import { MAX_AMOUNT } from '../../domain/shared/money.js';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.js';
import { problemCatalog, type ProblemName } from './problems/problem-catalog.js';
import { PROBLEM_CONTENT_TYPE } from './problems/problem-reply.js';

/**
 * The JSON Schemas every route shares (ids, amounts, pages, headers, problems); each feature keeps
 * its own beside its routes. They validate requests, shape answers and make the OpenAPI document.
 */

export const LIMIT = { minimum: 1, maximum: 500, default: 50 } as const;

export const WAIT_MS = { minimum: 0, maximum: 5000, default: 2000 } as const;

export const idSchema = { type: 'string', pattern: ID_PATTERN.source } as const;

export const amountSchema = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_AMOUNT,
  description: `Minor units of the currency, 1..${MAX_AMOUNT}`,
} as const;

export const timestamp = { type: 'string', format: 'date-time' } as const;

export const balance = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

export const cursor = { type: 'string', minLength: 1, maxLength: 512, description: 'The nextCursor of the previous page' } as const;

export const nextCursor = { type: ['string', 'null'], description: 'null on the last page' } as const;

export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

export const idempotencyKeyHeader = {
  type: 'string',
  pattern: IDEMPOTENCY_KEY_PATTERN,
  description: '1..128 visible ASCII characters; a retry with the same key, path and body gets the first answer again',
} as const;

export const postHeaders = { type: 'object', properties: { 'idempotency-key': idempotencyKeyHeader } } as const;

export const etag = { ETag: { type: 'string', description: 'Strong entity tag of the account version: "<version>"' } } as const;

export const location = { Location: { type: 'string', description: 'Where the resource is read' } } as const;

export const statusResponse = (status: string, description: string) =>
  ({ type: 'object', required: ['status'], properties: { status: { type: 'string', enum: [status] } }, description }) as const;

const problemHeaders: Partial<Record<ProblemName, Record<string, { type: 'string'; description: string }>>> = {
  unauthorized: { 'WWW-Authenticate': { type: 'string', description: 'Bearer realm="hzcqrs"' } },
  'read-model-lagging': { 'Retry-After': { type: 'string', description: 'Seconds to wait before asking again' } },
  unavailable: { 'Retry-After': { type: 'string', description: 'Seconds to wait before asking again' } },
  'method-not-allowed': { Allow: { type: 'string', description: 'The methods this path supports' } },
};

/** The body of problems of the given names: RFC 9457 with the catalog's types. */
export const problemSchema = (names: readonly ProblemName[]) => ({
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', enum: names.map((name) => problemCatalog[name].type) },
    title: { type: 'string' },
    status: { type: 'integer', enum: [...new Set(names.map((name) => problemCatalog[name].status))] },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      description: 'validation: what was wrong',
      items: { type: 'object', properties: { in: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } } },
    },
    missing: { type: 'array', items: { type: 'string' }, description: 'unavailable on /ready: what is not ready' },
  },
});

/** One response per status, listing the problem types a route may answer with it. */
export const problemResponses = (...names: ProblemName[]): Record<number, unknown> => {
  const byStatus = new Map<number, ProblemName[]>();
  for (const name of names) {
    const status = problemCatalog[name].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), name]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => {
      const headers = Object.assign({}, ...group.map((name) => problemHeaders[name] ?? {})) as Record<string, unknown>;
      return [
        status,
        {
          description: group.map((name) => `${problemCatalog[name].type}: ${problemCatalog[name].title}`).join('; '),
          content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema(group) } },
          ...(Object.keys(headers).length > 0 ? { headers } : {}),
        },
      ];
    }),
  );
};

/** Problems any route with these traits may answer. */
export const commonProblems = {
  /** Any route behind a token. */
  guarded: ['unauthorized', 'forbidden', 'too-many-requests', 'internal'],
  /** A route that reads a JSON body. */
  body: ['validation', 'payload-too-large', 'unsupported-media-type'],
  /** A POST: Idempotency-Key. */
  idempotent: ['request-in-flight', 'idempotency-key-reused'],
} as const satisfies Record<string, readonly ProblemName[]>;

