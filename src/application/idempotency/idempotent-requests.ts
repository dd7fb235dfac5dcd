import { ApplicationError } from '../ports/application-error.js';
import { BackendUnavailableError } from '../ports/backend-errors.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { AppendLocation, IdempotencyRecord, IdempotencyStore, StoredResponse } from '../ports/idempotency-store.port.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';

export interface IdempotencyOptions {
  /** How long a first answer is remembered; the API promises at least 24 hours. */
  readonly retentionMs: number;
  /** How long a first request may run before a retry may take its place (the first process died). */
  readonly inFlightLeaseMs: number;
}

export type Admission =
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | {
      readonly kind: 'proceed';
      /** Remembers the answer for retries. */
      complete(response: StoredResponse): Promise<void>;
      /** Forgets the request, so a retry runs it again (5xx answers are not remembered). */
      abandon(): Promise<void>;
      /**
       * Remembers that the request failed without knowing whether its event got in: a retry looks at
       * `check` first, and answers `response` if the event is there.
       */
      unknown(check: AppendLocation, response: StoredResponse): Promise<void>;
    };

/**
 * `Idempotency-Key`: the first request with a key runs; a retry with the same fingerprint gets its
 * answer again, one with another fingerprint is refused, and one while the first still runs is
 * told so.
 */
export class IdempotentRequests {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly clock: Clock,
    private readonly options: IdempotencyOptions,
    private readonly log: EventLog,
  ) {}

  async admit(key: string, fingerprint: string): Promise<Admission> {
    const inFlight: InFlight = { state: 'in-flight', fingerprint, leaseUntilMs: this.clock.now() + this.options.inFlightLeaseMs };
    for (let attempt = 0; attempt < 8; attempt++) {
      // Kept as long as a finished record: the lease, not the TTL, says when a retry may take over, and a
      // record whose completion is lost with its process stays a guard for the whole retention time.
      const existing = await this.store.putIfAbsent(key, inFlight, this.options.retentionMs);
      if (!existing) return this.proceed(key, inFlight);
      if (existing.fingerprint !== fingerprint) {
        throw new ApplicationError('IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used with another method, path or body');
      }
      if (existing.state === 'done') return { kind: 'replay', response: existing.response };
      if (existing.state === 'unknown') {
        // Did the first attempt's event get in? Then that is the answer; if not, run it again.
        const [atSlot] = await this.log.read(existing.check.aggregateType, existing.check.aggregateId, existing.check.version, existing.check.version);
        if (atSlot?.eventId === existing.check.eventId) {
          const done: IdempotencyRecord = { state: 'done', fingerprint, response: existing.response };
          await this.store.replace(key, existing, done, this.options.retentionMs);
          return { kind: 'replay', response: existing.response };
        }
        if (await this.store.replace(key, existing, inFlight, this.options.retentionMs)) return this.proceed(key, inFlight);
        continue;
      }
      if (existing.leaseUntilMs > this.clock.now()) {
        throw new ApplicationError('IDEMPOTENCY.IN_FLIGHT', 'a request with this Idempotency-Key is still running');
      }
      // The first request's process died while it ran: take its place.
      if (await this.store.replace(key, existing, inFlight, this.options.retentionMs)) return this.proceed(key, inFlight);
    }
    throw new ApplicationError('IDEMPOTENCY.IN_FLIGHT', 'a request with this Idempotency-Key is still running');
  }

  private proceed(key: string, inFlight: InFlight): Admission {
    return {
      kind: 'proceed',
      complete: async (response) => {
        const done: IdempotencyRecord = { state: 'done', fingerprint: inFlight.fingerprint, response };
        await this.store.replace(key, inFlight, done, this.options.retentionMs);
      },
      // A lease that has ended: the next request with the key takes its place at once.
      abandon: () => this.settle(key, inFlight, () => this.store.remove(key, inFlight), { ...inFlight, leaseUntilMs: 0 }),
      unknown: async (check, response) => {
        const unknown: IdempotencyRecord = { state: 'unknown', fingerprint: inFlight.fingerprint, check, response };
        await this.settle(key, inFlight, () => this.store.replace(key, inFlight, unknown, this.options.retentionMs), unknown);
      },
    };
  }

  /**
   * Ends the lease of a request that failed. Its failure is often the backend's (the database
   * away), and then so is this write's: the working copy is settled alone, or every retry would be
   * told "in flight" until the lease ran out, though the request has answered (ADR 0031). The
   * durable copy keeps the lease, which ends by itself. Only while the lease is safely this
   * request's: past half of it a retry could be taking over, and the failure stands.
   */
  private async settle(key: string, inFlight: InFlight, durably: () => Promise<unknown>, settled: IdempotencyRecord): Promise<void> {
    try {
      await durably();
    } catch (error) {
      if (!(error instanceof BackendUnavailableError) || this.clock.now() >= inFlight.leaseUntilMs - this.options.inFlightLeaseMs / 2) throw error;
      await this.store.overwriteWorkingCopy(key, settled, this.options.retentionMs);
    }
  }
}

type InFlight = Extract<IdempotencyRecord, { readonly state: 'in-flight' }>;
