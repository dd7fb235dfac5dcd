import { CodedError } from '../../domain/shared/coded-error.js';
import { DomainError } from '../../domain/shared/domain-error.js';

/**
 * Refusals of the application's own rules, not of the domain's: each code, with what it refuses
 * (for the reader; the HTTP adapter maps each code to a problem, as it does domain codes).
 */
const APPLICATION_REFUSALS = {
  'AGGREGATE.VERSION_MISMATCH': 'a command expecting a version (If-Match) the aggregate is no longer at',
  'IDEMPOTENCY.IN_FLIGHT': 'a request whose Idempotency-Key another request is still working on',
  'IDEMPOTENCY.KEY_REUSED': 'an Idempotency-Key reused for another request',
  'READ_MODEL.LAGGING': 'a query the read model cannot answer right yet (ADR 0030, 0054)',
  'PROJECTION.NOT_FOUND': 'an administration request naming no projection of the service',
  'PROJECTION.REBUILD_RUNNING': 'a rebuild asked for while one runs',
} as const satisfies Record<string, string>;

export type ApplicationErrorCode = keyof typeof APPLICATION_REFUSALS;

export const ApplicationErrorCodes = Object.keys(APPLICATION_REFUSALS) as readonly ApplicationErrorCode[];

export class ApplicationError extends CodedError<ApplicationErrorCode> {}

/** What a client is answered with when its request is refused: a rule of the domain, or one of the application's. */
export type Refusal = DomainError | ApplicationError;

export const isRefusal = (value: unknown): value is Refusal => value instanceof DomainError || value instanceof ApplicationError;
