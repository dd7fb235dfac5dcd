import { DomainError } from '../../domain/shared/domain-error.js';
import type { AggregateType, DecidedEvent, EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { EventPublisher } from '../../domain/ports/event-bus.port.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { AggregateRepository, Loaded } from './aggregate-repository.js';
import type { EnvelopeOptions, EventFactory } from './event-factory.js';
import { KeyedMutex } from './keyed-mutex.js';

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
      for (let attempt = 0; ; attempt++) {
        if (options.expectedVersion !== undefined && options.expectedVersion !== loaded.version) {
          throw new DomainError(
            'AGGREGATE.VERSION_MISMATCH',
            `the version is ${loaded.version}, not ${options.expectedVersion}`,
          );
        }
        const decision = await decide(loaded);
        if (decision instanceof DomainError) throw decision;
        const [decided, ...more] = decision;
        if (more.length > 0) throw new Error('a decision may produce one event at most');
        if (decided === undefined) return { loaded };
        const event = this.factory.envelope(aggregateType, aggregateId, loaded.version + 1, decided, options);
        const outcome = await this.log.append(event);
        if (outcome.ok) {
          const next = repository.fold(loaded, [event]);
          await repository.save(next);
          await this.publisher.publish([event]);
          return { loaded: next, event };
        }
        if (this.clock.now() > deadline) {
          throw new ContentionTimeoutError(`${aggregateType} ${aggregateId} stayed contended for ${this.retry.budgetMs} ms`);
        }
        if (attempt > 2) await this.pause(Math.min(2 ** attempt, 50));
        const caughtUp = await repository.catchUp(loaded);
        // Repair a snapshot left behind by a process that died between append and save.
        if (caughtUp.version > loaded.version) await repository.save(caughtUp);
        loaded = caughtUp;
      }
    });
  }
}
