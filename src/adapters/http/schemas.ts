import { ID_PATTERN } from '../../domain/shared/identifiers.js';
import { CURRENCY_PATTERN, DEFAULT_CURRENCY, MAX_AMOUNT } from '../../domain/shared/money.js';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.js';
import { IF_MATCH_PATTERN } from './if-match.js';
import { problemCatalog, type ProblemName } from './problems/problem-catalog.js';
import { PROBLEM_CONTENT_TYPE } from './problems/problem-reply.js';

/** JSON Schemas of the routes: they validate requests, shape responses and make the OpenAPI document. */

export const LIMIT = { minimum: 1, maximum: 500, default: 50 } as const;
export const WAIT_MS = { minimum: 0, maximum: 5000, default: 2000 } as const;

export const idSchema = { type: 'string', pattern: ID_PATTERN.source } as const;
export const amountSchema = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_AMOUNT,
  description: `Minor units of the currency, 1..${MAX_AMOUNT}`,
} as const;
const timestamp = { type: 'string', format: 'date-time' } as const;
const balance = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
const cursor = { type: 'string', minLength: 1, maxLength: 512, description: 'The nextCursor of the previous page' } as const;
const nextCursor = { type: ['string', 'null'], description: 'null on the last page' } as const;

// ---- request parts ----

export const accountParams = { type: 'object', required: ['accountId'], properties: { accountId: idSchema } } as const;
export const transferParams = { type: 'object', required: ['transferId'], properties: { transferId: idSchema } } as const;
export const parkedParams = {
  type: 'object',
  required: ['projection', 'aggregateId'],
  properties: { projection: idSchema, aggregateId: idSchema },
} as const;

export const openAccountBody = {
  type: 'object',
  additionalProperties: false,
  required: ['owner'],
  properties: {
    owner: { type: 'string', minLength: 1, maxLength: 100 },
    accountId: { ...idSchema, description: 'Made by the server when absent' },
    currency: { type: 'string', pattern: CURRENCY_PATTERN.source, default: DEFAULT_CURRENCY, description: 'ISO 4217 code' },
  },
} as const;

export const amountBody = {
  type: 'object',
  additionalProperties: false,
  required: ['amount'],
  properties: { amount: amountSchema },
} as const;

/** No body, or `{}`. */
export const emptyBody = {
  type: 'object',
  additionalProperties: false,
  properties: {},
  description: 'No body, or {}',
} as const;

export const transferBody = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'amount'],
  properties: {
    from: idSchema,
    to: idSchema,
    amount: amountSchema,
    transferId: { ...idSchema, description: 'Made by the server when absent' },
  },
} as const;

export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

export const listAccountsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    owner: { type: 'string', minLength: 1, maxLength: 100 },
    status: { type: 'string', enum: ['open', 'closed'] },
    minBalance: { ...balance, description: 'Inclusive' },
    maxBalance: { ...balance, description: 'Inclusive; not below minBalance' },
    limit: { type: 'integer', ...LIMIT },
    cursor,
  },
} as const;

const freshness = {
  minVersion: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Wait until the read model holds this version' },
  waitMs: { type: 'integer', ...WAIT_MS, description: 'How long to wait for minVersion' },
} as const;

export const getAccountQuery = { type: 'object', additionalProperties: false, properties: freshness } as const;

export const transactionsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', ...LIMIT }, cursor, ...freshness },
} as const;

export const parkedQuery = { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', ...LIMIT } } } as const;

const idempotencyKeyHeader = {
  type: 'string',
  pattern: IDEMPOTENCY_KEY_PATTERN,
  description: '1..128 visible ASCII characters; a retry with the same key, path and body gets the first answer again',
} as const;

export const postHeaders = { type: 'object', properties: { 'idempotency-key': idempotencyKeyHeader } } as const;

export const accountCommandHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': idempotencyKeyHeader,
    'if-match': { type: 'string', pattern: IF_MATCH_PATTERN, description: '"<version>": apply only at this version (else 412); * : any version' },
  },
} as const;

// ---- response headers ----

const etag = { ETag: { type: 'string', description: 'Strong entity tag of the account version: "<version>"' } } as const;
const location = { Location: { type: 'string', description: 'Where the resource is read' } } as const;

// ---- responses ----

const accountView = {
  type: 'object',
  required: ['accountId', 'owner', 'currency', 'balance', 'status', 'version', 'openedAt', 'updatedAt'],
  properties: {
    accountId: idSchema,
    owner: { type: 'string' },
    currency: { type: 'string' },
    balance,
    status: { type: 'string', enum: ['open', 'closed'] },
    version: { type: 'integer', minimum: 1 },
    openedAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

const transaction = {
  type: 'object',
  required: ['version', 'type', 'amount', 'balanceAfter', 'at'],
  properties: {
    version: { type: 'integer', minimum: 1 },
    type: { type: 'string', enum: ['opened', 'deposit', 'withdrawal', 'transfer-in', 'transfer-out', 'transfer-refund', 'closed'] },
    amount: { type: 'integer', minimum: 0, description: '0 for opened and closed' },
    balanceAfter: balance,
    at: timestamp,
    transferId: { ...idSchema, description: 'On transfer-in, transfer-out and transfer-refund' },
  },
} as const;

const accepted = {
  type: 'object',
  required: ['accountId', 'version'],
  properties: { accountId: idSchema, version: { type: 'integer', minimum: 1 } },
} as const;

export const accountOpenedResponse = { ...accepted, description: 'Opened', headers: { ...etag, ...location } } as const;
export const commandAcceptedResponse = { ...accepted, description: 'Applied', headers: etag } as const;

export const transferAcceptedResponse = {
  type: 'object',
  required: ['transferId'],
  properties: { transferId: idSchema },
  description: 'Accepted; carried out asynchronously (GET the Location for its status)',
  headers: location,
} as const;

export const accountResponse = { ...accountView, description: 'The account as the read model holds it', headers: etag } as const;

export const accountPageResponse = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: accountView }, nextCursor },
  description: 'Accounts ordered by accountId (code-point order)',
} as const;

export const transactionPageResponse = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: transaction }, nextCursor },
  description: 'Transactions by ascending version; ETag is the account version the page was read at',
  headers: etag,
} as const;

export const transferResponse = {
  type: 'object',
  required: ['transferId', 'from', 'to', 'amount', 'status'],
  properties: {
    transferId: idSchema,
    from: idSchema,
    to: idSchema,
    amount: amountSchema,
    status: { type: 'string', enum: ['pending', 'completed', 'failed'] },
    reason: {
      type: 'string',
      description: 'Only when failed: source-… (the debit was refused) or destination-… (the credit was refused and the debit given back)',
    },
  },
  description: 'The transfer as the read model holds it; may be 404 for a moment after its 202',
} as const;

export const statusResponse = (status: string, description: string) =>
  ({ type: 'object', required: ['status'], properties: { status: { type: 'string', enum: [status] } }, description }) as const;

export const projectionStatusResponse = {
  type: 'object',
  required: ['running', 'shards', 'projections'],
  description: 'Projection status of this process: checkpoint and lag per shard, counters per projection',
  properties: {
    running: { type: 'boolean' },
    shards: {
      type: 'array',
      items: {
        type: 'object',
        required: ['shard', 'owned', 'checkpoint', 'headSequence', 'lagEvents', 'lagSeconds', 'overruns'],
        properties: {
          shard: { type: 'integer', minimum: 0 },
          owned: { type: 'boolean', description: 'Whether this process projects the shard now' },
          checkpoint: { type: 'integer', minimum: 0, description: 'Next sequence to project' },
          headSequence: { type: 'integer', minimum: 0, description: 'Next sequence the shard will hold' },
          lagEvents: { type: 'integer', minimum: 0 },
          lagSeconds: { type: 'number', minimum: 0 },
          overruns: { type: 'integer', minimum: 0, description: 'Times the reader fell off the buffer and recovered from the log' },
          lastError: { type: 'string' },
        },
      },
    },
    projections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'applied', 'duplicates', 'parked'],
        properties: {
          name: { type: 'string' },
          applied: { type: 'integer', minimum: 0 },
          duplicates: { type: 'integer', minimum: 0 },
          parked: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
} as const;

export const parkedListResponse = {
  type: 'object',
  required: ['items'],
  description: 'Aggregates whose view a projection could not update; their events wait until retried',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['projection', 'aggregateType', 'aggregateId', 'version', 'reason', 'parkedAt'],
        properties: {
          projection: { type: 'string' },
          aggregateType: { type: 'string', enum: ['account', 'transfer'] },
          aggregateId: { type: 'string' },
          version: { type: 'integer', minimum: 1, description: 'The version the projection failed on' },
          reason: { type: 'string' },
          parkedAt: timestamp,
        },
      },
    },
  },
} as const;

export const retryParkedResponse = {
  type: 'object',
  required: ['projection', 'aggregateId', 'outcome'],
  description: 'caught-up: the view is current again; parked-again: the event still cannot be applied',
  properties: {
    projection: { type: 'string' },
    aggregateId: { type: 'string' },
    outcome: { type: 'string', enum: ['caught-up', 'parked-again'] },
  },
} as const;

// ---- problems ----

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

// ---- rebuild ----

export const projectionParams = {
  type: 'object',
  required: ['projection'],
  properties: { projection: { type: 'string', enum: ['accounts', 'transfers'] } },
} as const;

export const rebuildQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    force: {
      type: 'string',
      enum: ['true', 'false'],
      description: 'true takes over a rebuild that a process which died left half done',
    },
  },
} as const;

export const rebuildStatusResponse = {
  type: 'object',
  required: ['projection', 'generation', 'state', 'total', 'replayed', 'startedAt', 'eventsPerSecond'],
  description:
    'A rebuild replays the event log into a fresh generation of the projection while queries read the active one; ' +
    'when it is done the new generation becomes active in every instance.',
  properties: {
    projection: { type: 'string', enum: ['accounts', 'transfers'] },
    generation: { type: 'integer', description: 'The generation being built' },
    state: { type: 'string', enum: ['running', 'completed', 'failed'] },
    total: { type: 'integer', description: 'Events in the log when the rebuild started' },
    replayed: { type: 'integer' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    eventsPerSecond: { type: 'integer' },
    etaSeconds: { type: 'integer' },
    error: { type: 'string' },
  },
} as const;
