import { CodedError } from '../../domain/shared/coded-error.js';
import { DomainError } from '../../domain/shared/domain-error.js';

/**
 * Refusals of the application's own rules, not of the domain's: a stale `If-Match`, an idempotency
 * key still in flight or reused, a read model that has not caught up, an unknown projection or a
 * rebuild already running. The HTTP adapter maps each code to a problem, as it does domain codes.
 */
export const ApplicationErrorCodes = [
  'AGGREGATE.VERSION_MISMATCH',
  'IDEMPOTENCY.IN_FLIGHT',
  'IDEMPOTENCY.KEY_REUSED',
  'READ_MODEL.LAGGING',
  'PROJECTION.NOT_FOUND',
  'PROJECTION.REBUILD_RUNNING',
] as const;

export type ApplicationErrorCode = (typeof ApplicationErrorCodes)[number];

export class ApplicationError extends CodedError<ApplicationErrorCode> {}

/** What a client is answered with when its request is refused: a rule of the domain, or one of the application's. */
export type Refusal = DomainError | ApplicationError;

export const isRefusal = (value: unknown): value is Refusal => value instanceof DomainError || value instanceof ApplicationError;
