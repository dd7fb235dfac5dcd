import { ApplicationError } from '../../../application/ports/application-error.js';
import { BackendUnavailableError, ContentionTimeoutError } from '../../../application/ports/backend-errors.js';
import { isDomainError } from '../../../domain/shared/domain-error.js';
import { applicationProblems, domainProblems, frameworkProblems } from './problem-catalog.js';
import { HttpProblem } from './problem-error.js';
import type { Problem } from './problem-reply.js';

interface FrameworkError {
  readonly code: string;
  readonly statusCode?: number;
  readonly message: string;
  readonly validation?: readonly { readonly instancePath?: string; readonly message?: string; readonly params?: unknown }[];
  readonly validationContext?: string;
}

const isFrameworkError = (error: unknown): error is FrameworkError =>
  error instanceof Error && typeof (error as unknown as { code?: unknown }).code === 'string' && (error as unknown as { code: string }).code.startsWith('FST_');

const hasClientStatus = (error: unknown): error is Error & { statusCode: number } => {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
};

const validationDetails = (error: FrameworkError): Record<string, unknown> =>
  error.validation
    ? { errors: error.validation.map((e) => ({ in: error.validationContext ?? 'request', path: e.instancePath ?? '', message: e.message ?? 'is not valid' })) }
    : {};

/**
 * The one mapping from what a request raised to the problem it is answered with. `undefined` means
 * a bug: the caller logs it and answers `/problems/internal` with nothing of the cause.
 */
export const problemFor = (error: unknown): Problem | undefined => {
  if (error instanceof HttpProblem) {
    return { name: error.problem, detail: error.detail, extensions: error.extensions, headers: error.headers };
  }
  if (isDomainError(error)) return { name: domainProblems[error.code], detail: error.message };
  if (error instanceof ApplicationError) return { name: applicationProblems[error.code], detail: error.message };
  if (error instanceof ContentionTimeoutError || error instanceof BackendUnavailableError) {
    // The cause may name hosts or internals: the detail stays generic, the log keeps the cause.
    return { name: 'unavailable', detail: 'the backend did not answer in time; retry with the same Idempotency-Key' };
  }
  if (isFrameworkError(error)) {
    const name = frameworkProblems[error.code] ?? (hasClientStatus(error) ? 'validation' : undefined);
    return name && { name, detail: error.message, extensions: validationDetails(error) };
  }
  if (hasClientStatus(error)) {
    const byStatus = { 404: 'not-found', 413: 'payload-too-large', 415: 'unsupported-media-type' } as const;
    return { name: byStatus[error.statusCode as keyof typeof byStatus] ?? 'validation', detail: error.message };
  }
  return undefined;
};
