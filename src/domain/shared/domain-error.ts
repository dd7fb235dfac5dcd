import { CodedError } from './coded-error.js';
/**
 * Every refusal by a rule of the domain, with a stable code (the application's own refusals are
 * `ApplicationError`s). The HTTP adapter alone maps a code to a
 * status (one table); the domain knows nothing of transports.
 */
export const DomainErrorCodes = [
  'ACCOUNT.NOT_FOUND',
  'ACCOUNT.ALREADY_EXISTS',
  'ACCOUNT.CLOSED',
  'ACCOUNT.INSUFFICIENT_FUNDS',
  'ACCOUNT.BALANCE_NOT_ZERO',
  'ACCOUNT.CURRENCY_MISMATCH',
  'ACCOUNT.BALANCE_LIMIT',
  'TRANSFER.NOT_FOUND',
  'TRANSFER.SAME_ACCOUNT',
  'TRANSFER.ALREADY_EXISTS',
  'VALIDATION.INVALID_INPUT',
] as const;

export type DomainErrorCode = (typeof DomainErrorCodes)[number];

export class DomainError extends CodedError<DomainErrorCode> {}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;
