/**
 * The backend (cluster, database) cannot be reached or did not answer in time. Adapters wrap their
 * client's failures in it; the HTTP adapter answers 503. Nothing may be assumed about whether a
 * write that failed this way was applied: idempotency keys make the retry safe.
 */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

/** Where a write whose outcome is unknown would be: the event it tried to append, at its version. */
export interface AppendCheck {
  readonly aggregateType: 'account' | 'transfer';
  readonly aggregateId: string;
  readonly version: number;
  readonly eventId: string;
}

/**
 * The backend failed while an append was under way and it could not be told whether the event
 * is in the log. `check` says where to look later: a retry with the same Idempotency-Key looks
 * there before running the command again.
 */
export class UnknownOutcomeError extends BackendUnavailableError {
  constructor(
    message: string,
    readonly check: AppendCheck,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Thrown when contention from other processes outlasts the retry budget: the backend is overloaded. */
export class ContentionTimeoutError extends Error {
  override readonly name = 'ContentionTimeoutError';
}
