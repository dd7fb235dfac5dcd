import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Admission, IdempotentRequests } from '../../application/application.js';
import { callerOf } from './auth.js';
import { HttpProblem } from './problems/problem-error.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { unknownOutcomeOf } from './outcome-unknown.js';

/** 1..128 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]{1,128}$';
const KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** The headers a replay repeats, besides status and body. */
const REPLAYED_HEADERS = ['etag', 'location', 'content-type', 'retry-after'] as const;

export const fingerprintOf = (method: string, path: string, body: unknown): string =>
  createHash('sha256').update(`${method}\n${path}\n${canonicalJson(body)}`).digest('hex');

declare module 'fastify' {
  interface FastifyRequest {
    /** The admission of a request with an Idempotency-Key, until its answer is remembered (request-state.ts). */
    idempotentAdmission: Extract<Admission, { kind: 'proceed' }> | null;
    /** Whether the request was answered with a remembered answer. */
    idempotentReplay: boolean | null;
  }
}

export const wasReplayed = (request: FastifyRequest): boolean => request.idempotentReplay === true;

/**
 * `Idempotency-Key` on POST: admitted once the request is valid (an invalid one is refused the same
 * way every time, so it need not be remembered); the answer is remembered as it is sent, so a retry
 * that arrives after it sees it. 5xx answers are forgotten so that a retry runs again. Keys are
 * scoped by the caller's token: two callers never share answers.
 */
export const registerIdempotency = (app: FastifyInstance, requests: IdempotentRequests): void => {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || request.is404 || key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new HttpProblem('validation', 'Idempotency-Key must be 1..128 visible ASCII characters');
    }
    const path = request.url.split('?', 1)[0] ?? '/';
    const scope = callerOf(request)?.principal ?? 'open';
    const admission = await requests.admit(`${scope}:${key}`, fingerprintOf(request.method, path, request.body));
    if (admission.kind === 'proceed') {
      request.idempotentAdmission = admission;
      return;
    }
    request.idempotentReplay = true;
    const { status, headers, body } = admission.response;
    return reply.code(status).headers(headers).send(body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const admission = request.idempotentAdmission;
    if (!admission) return payload;
    request.idempotentAdmission = null;
    await remember(request, reply, admission, payload);
    return payload;
  });
};

const remember = async (
  request: FastifyRequest,
  reply: FastifyReply,
  admission: Extract<Admission, { kind: 'proceed' }>,
  payload: unknown,
): Promise<void> => {
  try {
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      // A command whose event may have got in is not forgotten: its retry looks first.
      const unknown = unknownOutcomeOf(request);
      await (unknown ? admission.unknown(unknown.check, unknown.response) : admission.abandon());
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await admission.complete({ status: reply.statusCode, headers, body: payload });
  } catch (error) {
    // The answer still goes out; a retry finds the key in flight until its lease ends (unless only
    // the durable copy failed, which the application settles in the working copy: ADR 0031).
    request.log.error({ err: error }, 'could not record the answer to an idempotent request');
  }
};
