import type { FastifyPluginAsync } from 'fastify';
import type { RequestTypesFromSchemas } from '../request-types.js';
import type { AppendCheck } from '../../../application/ports/backend-errors.js';
import type { StoredResponse } from '../../../application/ports/idempotency-store.port.js';
import { JSON_CONTENT_TYPE, runCommand } from '../outcome-unknown.js';
import type { Application, CommandAccepted } from '../../../application/application.js';
import { DEFAULT_CURRENCY } from '../../../domain/shared/money.js';
import { etagOf, expectedVersionOf } from '../if-match.js';
import { accountCommandHeaders, accountOpenedResponse, accountParams, amountBody, commandAcceptedResponse, emptyBody, openAccountBody } from './account.schemas.js';
import { commonProblems, noQuery, postHeaders, problemResponses } from '../schemas.js';

/** The write side of accounts: open, deposit, withdraw, close. */
export const accountCommandRoutes: FastifyPluginAsync<{ application: Application }> = async (plugin, { application }) => {
  // Request types come from the route's JSON schemas.
  const app = plugin.withTypeProvider<RequestTypesFromSchemas>();
  const { guarded, body, idempotent } = commonProblems;

  app.post(
    '/accounts',
    {
      config: { scope: 'write', command: 'open-account' },
      schema: {
        tags: ['accounts'],
        summary: 'Open an account',
        headers: postHeaders,
        querystring: noQuery,
        body: openAccountBody,
        response: { 201: accountOpenedResponse, ...problemResponses(...guarded, ...body, ...idempotent, 'duplicate', 'unavailable') },
      },
    },
    async (request, reply) => {
      const { owner, accountId, currency } = request.body;
      const accepted = await runCommand(
        request,
        () => application.accounts.open({ owner, currency: currency ?? DEFAULT_CURRENCY, ...(accountId === undefined ? {} : { accountId }) }),
        acceptedAt,
        (opened) => answered(201, opened, { location: `/accounts/${opened.accountId}` }),
      );
      return reply
        .code(201)
        .header('location', `/accounts/${accepted.accountId}`)
        .header('etag', etagOf(accepted.version))
        .send(acceptedBody(accepted));
    },
  );

  const onAccount = (summary: string, extra: Parameters<typeof problemResponses>) => ({
    tags: ['accounts'],
    summary,
    description: 'If-Match "<version>" applies the command only at that version (else 412); without it the server serializes concurrent commands.',
    params: accountParams,
    headers: accountCommandHeaders,
    querystring: noQuery,
    response: {
      200: commandAcceptedResponse,
      ...problemResponses(...guarded, ...body, ...idempotent, 'not-found', 'version-mismatch', 'account-closed', 'unavailable', ...extra),
    },
  });

  app.post(
    '/accounts/:accountId/deposits',
    { config: { scope: 'write', command: 'deposit' }, schema: { ...onAccount('Deposit money', []), body: amountBody } },
    async (request, reply) => {
      const { accountId } = request.params;
      const accepted = await runCommand(
        request,
        () => application.accounts.deposit(accountId, request.body.amount, expectedVersionOf(request.headers['if-match'])),
        acceptedAt,
        (done) => answered(200, done),
      );
      return reply.header('etag', etagOf(accepted.version)).send(acceptedBody(accepted));
    },
  );

  app.post(
    '/accounts/:accountId/withdrawals',
    {
      config: { scope: 'write', command: 'withdraw' },
      schema: { ...onAccount('Withdraw money', ['insufficient-funds']), body: amountBody },
    },
    async (request, reply) => {
      const { accountId } = request.params;
      const accepted = await runCommand(
        request,
        () => application.accounts.withdraw(accountId, request.body.amount, expectedVersionOf(request.headers['if-match'])),
        acceptedAt,
        (done) => answered(200, done),
      );
      return reply.header('etag', etagOf(accepted.version)).send(acceptedBody(accepted));
    },
  );

  app.post(
    '/accounts/:accountId/close',
    {
      config: { scope: 'write', command: 'close-account' },
      schema: {
        ...onAccount('Close an account (its balance must be 0 and no transfer from it pending)', ['balance-not-zero']),
        body: emptyBody,
      },
      // No body at all means the same as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const accepted = await runCommand(
        request,
        () => application.accounts.close(request.params.accountId, expectedVersionOf(request.headers['if-match'])),
        acceptedAt,
        (done) => answered(200, done),
      );
      return reply.header('etag', etagOf(accepted.version)).send(acceptedBody(accepted));
    },
  );
};

/** The command's answer had its event got in at `check`. */
const acceptedAt = (check: AppendCheck): CommandAccepted => ({ accountId: check.aggregateId, version: check.version });

/** What the body of a command's answer holds. */
const acceptedBody = (accepted: CommandAccepted) => ({ accountId: accepted.accountId, version: accepted.version });

/** A command's answer as the routes send it: the body, its ETag, and any other header. */
const answered = (status: number, accepted: CommandAccepted, headers: Record<string, string> = {}): StoredResponse => ({
  status,
  headers: { ...headers, etag: etagOf(accepted.version), 'content-type': JSON_CONTENT_TYPE },
  body: JSON.stringify(acceptedBody(accepted)),
});
