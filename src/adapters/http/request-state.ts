import type { FastifyInstance } from 'fastify';

/**
 * What the adapter's modules note on a request while answering it, as Fastify request decorations
 * (each is declared, with its type, by the module that owns it): the authenticated caller (auth),
 * the idempotency admission and whether the answer was a replay (idempotency), where a command
 * whose outcome is unknown would be (outcome-unknown), the problem answered (problem-reply).
 * All start as null on every request.
 */
export const REQUEST_DECORATIONS = ['caller', 'idempotentAdmission', 'idempotentReplay', 'unknownOutcome', 'answeredProblem'] as const;

export const registerRequestState = (app: FastifyInstance): void => {
  for (const name of REQUEST_DECORATIONS) app.decorateRequest(name, null);
};
