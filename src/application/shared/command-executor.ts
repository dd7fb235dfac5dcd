import { DomainError } from '../../domain/shared/domain-error.js';
import { sameEvent, type AggregateType, type DecidedEvent, type EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { AppendOutcome, EventLog } from '../../domain/ports/event-log.port.js';
import { UnknownOutcomeError } from './errors.js';
import type { EventPublisher } from '../../domain/ports/event-bus.port.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { AggregateRepository, Loaded } from './aggregate-repository.js';
import type { EnvelopeOptions, EventFactory } from './event-factory.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { Logger } from './logger.js';

/** The decision may refuse (a domain error), decide nothing, or decide one event. */
export type Decision<E extends DecidedEvent> = DomainError | readonly E[];

export interface ExecuteOptions extends EnvelopeOptions {
  /** Apply only at this version (If-Match); a mismatch is refused, never retried. */
  readonly expectedVersion?: number;
}

export interface Executed<S> {
  readonly loaded: Loaded<S>;
  readonly event?: EventEnvelope;
}

/** Thrown when contention from other processes outlasts the retry budget: the backend is overloaded. */
export class ContentionTimeoutError extends Error {
  override readonly name = 'ContentionTimeoutError';
}

export interface RetryPolicy {
  /** How long a command keeps retrying version conflicts before giving up. */
  readonly budgetMs: number;
}

/**
 * Load, decide, append at the next version. Commands on one aggregate are queued in this process;
 * a conflict with another process reloads from the log and decides again, so a client that sent no
 * If-Match never sees one.
 */
export class CommandExecutor {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly log: EventLog,
    private readonly publisher: EventPublisher,
    private readonly factory: EventFactory,
    private readonly clock: Clock,
    private readonly retry: RetryPolicy,
    private readonly pause: (ms: number) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  execute<S, E extends DecidedEvent>(
    repository: AggregateRepository<S, E>,
    aggregateType: AggregateType,
    aggregateId: string,
    decide: (loaded: Loaded<S>) => Promise<Decision<E>> | Decision<E>,
    options: ExecuteOptions = {},
  ): Promise<Executed<S>> {
    return this.mutex.run(`${aggregateType}/${aggregateId}`, async () => {
      const deadline = this.clock.now() + this.retry.budgetMs;
      let loaded = await repository.load(aggregateId);
      // Whether `loaded` was just read up to the log's head (the snapshot alone may lag it).
      let atHead = false;
      for (let attempt = 0; ; attempt++) {
        const mismatch =
          options.expectedVersion !== undefined && options.expectedVersion !== loaded.version
            ? new DomainError('AGGREGATE.VERSION_MISMATCH', `the version is ${loaded.version}, not ${options.expectedVersion}`)
            : undefined;
        const decision = mismatch ?? (await decide(loaded));
        if (decision instanceof DomainError) {
          // A refusal is never appended, so no conflict would reveal a stale snapshot: look at the log.
          if (!atHead) {
            const head = await this.catchUp(repository, loaded);
            atHead = true;
            if (head.version !== loaded.version) {
              loaded = head;
              continue;
            }
          }
          throw decision;
        }
        const [decided, ...more] = decision;
        if (more.length > 0) throw new Error('a decision may produce one event at most');
        if (decided === undefined) return { loaded };
        const event = this.factory.envelope(aggregateType, aggregateId, loaded.version + 1, decided, options);
        const outcome = await this.appendOrFindOut(event);
        if (outcome.ok) {
          const next = repository.fold(loaded, [event]);
          await this.afterAppend(repository, next, event, loaded);
          return { loaded: next, event };
        }
        if (this.clock.now() > deadline) {
          throw new ContentionTimeoutError(`${aggregateType} ${aggregateId} stayed contended for ${this.retry.budgetMs} ms`);
        }
        if (attempt > 2) await this.pause(Math.min(2 ** attempt, 50));
        loaded = await this.catchUp(repository, loaded);
        atHead = true;
      }
    });
  }

  /**
   * Appends; when the backend fails during the append, looks whether the event got in after all.
   * Ours there: appended. Another event there: a conflict. Nothing, or no answer: the outcome is
   * unknown, and the error says where to look.
   */
  private async appendOrFindOut(event: EventEnvelope): Promise<AppendOutcome> {
    try {
      return await this.log.append(event);
    } catch (error) {
      const check = {
        aggregateType: event.aggregateType,
        aggregateId: event.aggregateId,
        version: event.version,
        eventId: event.eventId,
      };
      const found = await this.log.read(event.aggregateType, event.aggregateId, event.version, event.version).catch(() => undefined);
      if (found?.[0] && sameEvent(found[0], event)) return { ok: true };
      if (found?.[0]) return { ok: false, reason: 'conflict' };
      throw new UnknownOutcomeError(`the outcome of appending ${event.aggregateType} ${event.aggregateId}@${event.version} is unknown`, check, {
        cause: error,
      });
    }
  }

  /** Reads the log after `loaded`, and repairs a snapshot left behind by a process that died between append and save. */
  private async catchUp<S, E extends DecidedEvent>(repository: AggregateRepository<S, E>, loaded: Loaded<S>): Promise<Loaded<S>> {
    const head = await repository.catchUp(loaded);
    if (head.version > loaded.version) await repository.save(head);
    return head;
  }

  /**
   * Once the event is in the log the command is accepted, whatever happens next: a snapshot that
   * is not saved is repaired by the next command, an event that is not published is delivered by
   * the reconciler. Failing the command here would invite a retry that applies it twice.
   */
  private async afterAppend<S, E extends DecidedEvent>(
    repository: AggregateRepository<S, E>,
    next: Loaded<S>,
    event: EventEnvelope,
    previous: Loaded<S>,
  ): Promise<void> {
    try {
      await repository.save(next, previous);
    } catch (error) {
      this.logger.warn({ aggregateId: next.aggregateId, version: next.version, err: error }, 'snapshot not saved; the next command repairs it');
    }
    try {
      await this.publisher.publish([event]);
    } catch (error) {
      this.logger.warn({ aggregateId: next.aggregateId, version: next.version, err: error }, 'event not published; the reconciler delivers it');
    }
  }
}
