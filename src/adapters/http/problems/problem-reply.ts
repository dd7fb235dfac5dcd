import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemCatalog, type ProblemDefinition, type ProblemName } from './problem-catalog.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  readonly name: ProblemName;
  readonly detail: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The problem the request was answered with (request-state.ts). */
    answeredProblem: ProblemName | null;
  }
}

/** The problem a request was answered with, if any (the metrics label outcomes with it). */
export const problemAnswered = (request: FastifyRequest): ProblemName | undefined => request.answeredProblem ?? undefined;

/**
 * Sends an RFC 9457 body. It goes out already serialized, so no response schema can strip its
 * extensions; the catalog's fields come last so no extension can overwrite them.
 */
export const sendProblem = (request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply => {
  const definition: ProblemDefinition = problemCatalog[problem.name];
  const { type, title, status } = definition;
  request.answeredProblem = problem.name;
  reply.code(status).type(PROBLEM_CONTENT_TYPE);
  if (definition.retryAfterSeconds !== undefined) reply.header('retry-after', String(definition.retryAfterSeconds));
  for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value);
  return reply.send(JSON.stringify({ ...problem.extensions, type, title, status, detail: problem.detail }));
};
