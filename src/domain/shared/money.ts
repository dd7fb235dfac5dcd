import { DomainError } from './domain-error.js';

/** Money is an integer count of minor units; one command moves at most 10^12 of them. */
export const MAX_AMOUNT = 1_000_000_000_000;

export const isValidAmount = (amount: unknown): amount is number =>
  typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0 && amount <= MAX_AMOUNT;

export const assertAmount = (amount: unknown): number => {
  if (!isValidAmount(amount)) {
    throw new DomainError('VALIDATION.INVALID_INPUT', `amount must be an integer in 1..${MAX_AMOUNT}`);
  }
  return amount;
};

/** The largest balance an account may hold: beyond it integers are no longer exact in JSON numbers. */
export const MAX_BALANCE = Number.MAX_SAFE_INTEGER;

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
export const DEFAULT_CURRENCY = 'KRW';
