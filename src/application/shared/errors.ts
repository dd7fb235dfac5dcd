/**
 * The backend (cluster, database) cannot be reached or did not answer in time. Adapters wrap their
 * client's failures in it; the HTTP adapter answers 503. Nothing may be assumed about whether a
 * write that failed this way was applied: idempotency keys make the retry safe.
 */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}
