import { ACCOUNT_STATUSES, TRANSACTION_TYPES } from '../../../domain/ports/read-model.port.js';
import { CURRENCY_PATTERN, DEFAULT_CURRENCY } from '../../../domain/shared/money.js';
import { IF_MATCH_PATTERN } from '../if-match.js';
import { LIMIT, WAIT_MS, amountSchema, balance, cursor, etag, idSchema, idempotencyKeyHeader, location, nextCursor, timestamp } from '../schemas.js';

/** JSON Schemas of the account routes: requests, answers and the OpenAPI document. */

export const accountParams = { type: 'object', required: ['accountId'], properties: { accountId: idSchema } } as const;

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

export const listAccountsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    owner: { type: 'string', minLength: 1, maxLength: 100 },
    status: { type: 'string', enum: ACCOUNT_STATUSES },
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

export const accountCommandHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': idempotencyKeyHeader,
    'if-match': { type: 'string', pattern: IF_MATCH_PATTERN, description: '"<version>": apply only at this version (else 412); * : any version' },
  },
} as const;

const accountView = {
  type: 'object',
  required: ['accountId', 'owner', 'currency', 'balance', 'status', 'version', 'openedAt', 'updatedAt'],
  properties: {
    accountId: idSchema,
    owner: { type: 'string' },
    currency: { type: 'string' },
    balance,
    status: { type: 'string', enum: ACCOUNT_STATUSES },
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
    type: { type: 'string', enum: TRANSACTION_TYPES },
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

