import type { FastifyRequest } from 'fastify';
import { UnknownOutcomeError, type AppendCheck } from '../../application/ports/backend-errors.js';
import type { StoredResponse } from '../../application/ports/idempotency-store.port.js';

interface UnknownOutcome {
  readonly check: AppendCheck;
  readonly response: StoredResponse;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Where the event of a command whose outcome is unknown would be, and its answer if it is (request-state.ts). */
    unknownOutcome: UnknownOutcome | null;
  }
}

/**
 * Runs a command. When the backend fails without knowing whether the command's event got in, the
 * answer the command would have had is kept with where to look, for its Idempotency-Key: a retry
 * then looks there instead of running the command a second time. The error goes on (503).
 */
export const runCommand = async <T>(
  request: FastifyRequest,
  command: () => Promise<T>,
  acceptedAt: (check: AppendCheck) => T,
  answer: (accepted: T) => StoredResponse,
): Promise<T> => {
  try {
    return await command();
  } catch (error) {
    if (error instanceof UnknownOutcomeError) request.unknownOutcome = { check: error.check, response: answer(acceptedAt(error.check)) };
    throw error;
  }
};

export const unknownOutcomeOf = (request: FastifyRequest): UnknownOutcome | undefined => request.unknownOutcome ?? undefined;

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
