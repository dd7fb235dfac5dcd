import type { ApplicationErrorCode } from '../../../application/ports/application-error.js';
import type { DomainErrorCode } from '../../../domain/shared/domain-error.js';

/**
 * Every problem the HTTP API answers, defined once. The table below is the contract's (HTTP
 * contract v1, "Conventions"); a test reads it from this comment and checks it against the catalog
 * and against the OpenAPI document, so the three cannot drift apart.
 *
 * | status | `type` | when |
 * |---|---|---|
 * | 400 | `/problems/validation` | malformed JSON, schema violation, bad query parameter |
 * | 401 / 403 | `/problems/unauthorized`, `/problems/forbidden` | missing or wrong token, token without the scope |
 * | 404 | `/problems/not-found` | unknown account, transfer or route |
 * | 405 | `/problems/method-not-allowed` | known path, other method |
 * | 409 | `/problems/duplicate` | an account id that exists already |
 * | 409 | `/problems/request-in-flight` | the same `Idempotency-Key` while its first request still runs |
 * | 412 | `/problems/version-mismatch` | `If-Match` differs from the current version |
 * | 413 | `/problems/payload-too-large` | body over 1 MiB (the server may close the connection after answering) |
 * | 415 | `/problems/unsupported-media-type` | a body that is not `application/json` |
 * | 422 | `/problems/insufficient-funds`, `/problems/account-closed`, `/problems/balance-not-zero`, `/problems/idempotency-key-reused` | business rule refused |
 * | 503 | `/problems/read-model-lagging`, `/problems/unavailable` | wait for `minVersion` ran out; backend not reachable |
 *
 * Beyond the contract's table, two entries: `/problems/internal` (500), the answer to a bug (its
 * body says nothing of the cause; the log does), and `/problems/too-many-requests` (429), when the
 * optional rate limit per caller (RATE_LIMIT_PER_MINUTE) is reached.
 */
export interface ProblemDefinition {
  readonly type: `/problems/${string}`;
  readonly title: string;
  readonly status: number;
  /** Seconds a client should wait before retrying; sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;
}

export const problemCatalog = {
  validation: { type: '/problems/validation', title: 'The request is not valid', status: 400 },
  unauthorized: { type: '/problems/unauthorized', title: 'A valid bearer token is required', status: 401 },
  forbidden: { type: '/problems/forbidden', title: 'The token lacks the scope this request needs', status: 403 },
  'not-found': { type: '/problems/not-found', title: 'Not found', status: 404 },
  'method-not-allowed': { type: '/problems/method-not-allowed', title: 'This path does not support this method', status: 405 },
  duplicate: { type: '/problems/duplicate', title: 'It exists already', status: 409 },
  'request-in-flight': { type: '/problems/request-in-flight', title: 'The first request with this Idempotency-Key still runs', status: 409 },
  'version-mismatch': { type: '/problems/version-mismatch', title: 'If-Match differs from the current version', status: 412 },
  'payload-too-large': { type: '/problems/payload-too-large', title: 'The body is larger than 1 MiB', status: 413 },
  'unsupported-media-type': { type: '/problems/unsupported-media-type', title: 'The body must be application/json', status: 415 },
  'insufficient-funds': { type: '/problems/insufficient-funds', title: 'The balance does not cover the amount', status: 422 },
  'account-closed': { type: '/problems/account-closed', title: 'The account is closed', status: 422 },
  'balance-not-zero': { type: '/problems/balance-not-zero', title: 'The account still holds money or has a transfer pending', status: 422 },
  'idempotency-key-reused': {
    type: '/problems/idempotency-key-reused',
    title: 'This Idempotency-Key was used with another method, path or body',
    status: 422,
  },
  'read-model-lagging': {
    type: '/problems/read-model-lagging',
    title: 'The read model has not reached the requested version yet',
    status: 503,
    retryAfterSeconds: 1,
  },
  unavailable: { type: '/problems/unavailable', title: 'The service cannot reach its backend', status: 503, retryAfterSeconds: 1 },
  internal: { type: '/problems/internal', title: 'Internal server error', status: 500 },
  'too-many-requests': { type: '/problems/too-many-requests', title: 'Too many requests', status: 429, retryAfterSeconds: 60 },
} as const satisfies Record<string, ProblemDefinition>;

export type ProblemName = keyof typeof problemCatalog;

export const problemNames = Object.keys(problemCatalog) as ProblemName[];

/** The one table from domain codes to problems: a new code without an entry does not compile. */
export const domainProblems: Readonly<Record<DomainErrorCode, ProblemName>> = {
  'ACCOUNT.NOT_FOUND': 'not-found',
  'TRANSFER.NOT_FOUND': 'not-found',
  'ACCOUNT.ALREADY_EXISTS': 'duplicate',
  'TRANSFER.ALREADY_EXISTS': 'duplicate',
  'ACCOUNT.CLOSED': 'account-closed',
  'ACCOUNT.INSUFFICIENT_FUNDS': 'insufficient-funds',
  'ACCOUNT.BALANCE_NOT_ZERO': 'balance-not-zero',
  'TRANSFER.SAME_ACCOUNT': 'validation',
  'VALIDATION.INVALID_INPUT': 'validation',
  'ACCOUNT.CURRENCY_MISMATCH': 'validation',
  // The contract's types are fixed and none is about a balance's ceiling: the amount is what is refused.
  'ACCOUNT.BALANCE_LIMIT': 'validation',
};

/** The same for the application's own refusals. */
export const applicationProblems: Readonly<Record<ApplicationErrorCode, ProblemName>> = {
  'AGGREGATE.VERSION_MISMATCH': 'version-mismatch',
  'PROJECTION.NOT_FOUND': 'not-found',
  // Like a request still in flight: the same operation is already running; ask again later.
  'PROJECTION.REBUILD_RUNNING': 'request-in-flight',
  'IDEMPOTENCY.IN_FLIGHT': 'request-in-flight',
  'IDEMPOTENCY.KEY_REUSED': 'idempotency-key-reused',
  'READ_MODEL.LAGGING': 'read-model-lagging',
};

/** Errors fastify raises before a handler runs, by their code. Other 4xx of fastify become `validation`. */
export const frameworkProblems: Readonly<Record<string, ProblemName>> = {
  FST_ERR_VALIDATION: 'validation',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation',
  FST_ERR_BAD_URL: 'validation',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported-media-type',
  FST_ERR_NOT_FOUND: 'not-found',
};
