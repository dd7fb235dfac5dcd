import { DomainError } from '../../domain/shared/domain-error.js';

/** Opaque page cursors: base64url of a small JSON value, checked on the way back in. */
export const encodeCursor = (value: string | number): string => Buffer.from(JSON.stringify({ after: value })).toString('base64url');

export const decodeCursor = <T extends 'string' | 'number'>(
  cursor: string,
  kind: T,
): T extends 'string' ? string : number => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const after = typeof parsed === 'object' && parsed !== null ? (parsed as { after?: unknown }).after : undefined;
  const valid = kind === 'number' ? Number.isSafeInteger(after) && (after as number) >= 0 : typeof after === 'string';
  if (!valid) throw new DomainError('VALIDATION.INVALID_INPUT', 'cursor is not one this server gave out');
  return after as T extends 'string' ? string : number;
};
