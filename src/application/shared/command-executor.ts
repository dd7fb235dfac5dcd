import { ApplicationError, isRefusal } from '../ports/application-error.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { streamKey, type AggregateType, type DecidedEvent, type EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import { ContentionTimeoutError } from '../ports/backend-errors.js';
import { appendOrFindOut } from './append-or-find-out.js';
import { RememberedStates } from './remembered-states.js';
import type { EventPublisher } from '../../domain/ports/event-bus.port.js';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { BackendStatus } from '../../domain/ports/backend-status.port.js';
import type { AggregateRepository, Loaded } from './aggregate-repository.js';
import type { EnvelopeOptions, EventFactory } from './event-factory.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { Logger } from '../ports/logger.port.js';

/** The decision may refuse (a domain error), decide nothing, or decide one event. */
export type Decision<E extends DecidedEvent> = DomainError | readonly E[];

export interface ExecuteOptions extends EnvelopeOptions {
  /** Apply only at this version (If-Match); a mismatch is refused, never retried. */
  readonly expectedVersion?: number;
  /**
   * The aggregate is expected not to exist yet (a new transfer, an account being opened): decide
   * on its initial state without reading the store or the log. The log is the arbiter still: an
   * existing stream makes the append at version 1 conflict, and the command is decided again on
   * the log's head; a refusal is given only once the log was read.
   */
  readonly expectNew?: boolean;
}

export interface Executed<S> {
  readonly loaded: Loaded<S>;
  readonly event?: EventEnvelope;
}

/** Runs one command on an aggregate held by `CommandExecutor.exclusive`. */
export type ExecuteOn<S, E extends DecidedEvent> = (
  decide: (loaded: Loaded<S>) => Promise<Decision<E>> | Decision<E>,
  options?: ExecuteOptions,
) => Promise<Executed<S>>;

export interface RetryPolicy {
  /** How long a command keeps retrying version conflicts before giving up. */
  readonly budgetMs: number;
}

/** What an executor did since it was made; a count only grows. */
export interface CommandStatistics {
  /** Events appended. */
  readonly appended: number;
  /** Appends that found their version taken (another process appended first) and were decided again. */
  readonly conflicts: number;
  /** Commands that waited for another command of this process on the same aggregate to end. */
  readonly queued: number;
}

/** How many aggregates an executor remembers the state of, from one command to the next. */
export const REMEMBERED_AGGREGATES = 10_000;

/**
 * Load, decide, append at the next version. Commands on one aggregate are queued in this process;
 * a conflict with another process reloads from the log and decides again, so a client that sent no
 * If-Match never sees one.
 *
 * The state after each of its appends is remembered, and the next command on that aggregate starts
 * from it instead of the snapshot store: one read fewer per command. It may be stale (another
 * process appended since); the log is the arbiter all the same. An acceptance appends at exactly
 * the next version, so a stale state conflicts and catches up from the log; a refusal and a
 * decision to do nothing are answered only once the log has been read up to its head.
 *
 * A snapshot is saved when it is due (`AggregateRepository.isDue`): after every event for
 * transfers, whose process reads them from the store as they are (ADR 0007); once the stored one
 * is 16 versions behind for accounts (ADR 0028). With every event saved, a state is remembered only
 * once it was saved, so the store is never behind what is remembered and the catch-up after a
 * conflict repairs it. A failed save forgets the state in either case.
 */
export class CommandExecutor {
  private readonly mutex = new KeyedMutex();
  private readonly remembered: RememberedStates;
  private appended = 0;
  private conflicts = 0;

  constructor(
    private readonly log: EventLog,
    private readonly publisher: EventPublisher,
    private readonly factory: EventFactory,
    private readonly clock: Clock,
    private readonly retry: RetryPolicy,
    private readonly pause: (ms: number) => Promise<void>,
    private readonly logger: Logger,
    private readonly backend: Pick<BackendStatus, 'connectionEpoch'>,
    rememberedAggregates = REMEMBERED_AGGREGATES,
  ) {
    this.remembered = new RememberedStates(rememberedAggregates);
  }

  statistics(): CommandStatistics {
    return { appended: this.appended, conflicts: this.conflicts, queued: this.mutex.queued };
  }

  execute<S, E extends DecidedEvent>(
    repository: AggregateRepository<S, E>,
    aggregateType: AggregateType,
    aggregateId: string,
    decide: (loaded: Loaded<S>) => Promise<Decision<E>> | Decision<E>,
    options: ExecuteOptions = {},
  ): Promise<Executed<S>> {
    return this.exclusive(repository, aggregateType, aggregateId, (executeOn) => executeOn(decide, options));
  }

  /**
   * The state this process remembers of an aggregate after its own last command on it, without
   * asking the store; it may be stale (another process appended since), which an append at the
   * next version then finds out.
   */
  rememberedState<S, E extends DecidedEvent>(repository: AggregateRepository<S, E>, aggregateType: AggregateType, aggregateId: string): Loaded<S> | undefined {
    return this.remembered.recall<S>(streamKey(aggregateType, aggregateId), repository, this.backend.connectionEpoch())?.loaded;
  }

  /** What this process remembers of the aggregate, else what the store holds: either may lag the log. */
  async rememberedOrLoaded<S, E extends DecidedEvent>(
    repository: AggregateRepository<S, E>,
    aggregateType: AggregateType,
    aggregateId: string,
  ): Promise<Loaded<S>> {
    return this.rememberedState(repository, aggregateType, aggregateId) ?? (await repository.load(aggregateId));
  }

  /**
   * Runs `work` with the aggregate to itself in this process: no other command on it starts before
   * `work` has ended, and `work` runs its own commands on it through the `execute` it is given.
   * What `work` reads of the aggregate cannot be overtaken by a command of this process meanwhile.
   */
  exclusive<T, S, E extends DecidedEvent>(
    repository: AggregateRepository<S, E>,
    aggregateType: AggregateType,
    aggregateId: string,
    work: (execute: ExecuteOn<S, E>) => Promise<T>,
  ): Promise<T> {
    const key = streamKey(aggregateType, aggregateId);
    return this.mutex.run(key, () =>
      work(async (decide, options = {}) => {
        try {
          return await this.run(key, repository, aggregateType, aggregateId, decide, options);
        } catch (error) {
          // A refusal leaves what is remembered true; after anything else (an unknown outcome, a
          // backend failure, a bug) the next command starts from the store.
          if (!isRefusal(error)) this.remembered.delete(key);
          throw error;
        }
      }),
    );
  }

  private async run<S, E extends DecidedEvent>(
    key: string,
    repository: AggregateRepository<S, E>,
    aggregateType: AggregateType,
    aggregateId: string,
    decide: (loaded: Loaded<S>) => Promise<Decision<E>> | Decision<E>,
    options: ExecuteOptions,
  ): Promise<Executed<S>> {
    const deadline = this.clock.now() + this.retry.budgetMs;
    const epoch = this.backend.connectionEpoch();
    const recalled = this.remembered.recall<S>(key, repository, epoch);
    let loaded = recalled?.loaded ?? (options.expectNew ? repository.empty(aggregateId) : await repository.load(aggregateId));
    let stored: Loaded<S> | undefined = recalled ? recalled.stored : loaded;
    // Whether `loaded` was just read up to the log's head (a snapshot or a remembered state may lag it).
    let atHead = false;
    for (let attempt = 0; ; attempt++) {
      const mismatch =
        options.expectedVersion !== undefined && options.expectedVersion !== loaded.version
          ? new ApplicationError('AGGREGATE.VERSION_MISMATCH', `the version is ${loaded.version}, not ${options.expectedVersion}`)
          : undefined;
      const decision = mismatch ?? (await decide(loaded));
      if (!isRefusal(decision) && decision.length > 1) throw new Error('a decision may produce one event at most');
      const decided = isRefusal(decision) ? undefined : decision[0];
      if (decided === undefined) {
        // A refusal, or nothing to do: nothing is appended, so no conflict would reveal a stale
        // snapshot or remembered state. Only an answer decided on the log's head is given.
        if (!atHead) {
          const { head, saved } = await this.catchUp(key, repository, loaded, epoch, stored);
          if (saved) stored = head;
          atHead = true;
          if (head.version !== loaded.version) {
            loaded = head;
            continue;
          }
        }
        if (isRefusal(decision)) throw decision;
        return { loaded };
      }
      const event = this.factory.envelope(aggregateType, aggregateId, loaded.version + 1, decided, options);
      const outcome = await appendOrFindOut(this.log, event);
      if (outcome.ok) {
        this.appended++;
        const next = repository.fold(loaded, [event]);
        const snapshot = await this.afterAppend(repository, next, event, repository.isDue(next, stored?.version ?? 0) ? { previous: stored } : undefined);
        if (snapshot === 'failed') this.remembered.delete(key);
        else this.remembered.remember(key, repository, next, epoch, snapshot === 'saved' ? next : stored);
        return { loaded: next, event };
      }
      this.conflicts++;
      if (this.clock.now() > deadline) {
        throw new ContentionTimeoutError(`${aggregateType} ${aggregateId} stayed contended for ${this.retry.budgetMs} ms`);
      }
      if (attempt > 2) await this.pause(Math.min(2 ** attempt, 50));
      if (attempt === 0 && outcome.existing?.version === loaded.version + 1) {
        // The refused append named the event that won the version: go on from it without reading
        // the stream (one read of the log, and on Hazelcast of PostgreSQL, fewer per conflict).
        // Only once: a state further behind reads the log to its head on the next conflict, or it
        // would chase a busy stream one version per round trip. Decided again on a state that may
        // still lag the head: a refusal catches up first.
        loaded = repository.fold(loaded, [outcome.existing]);
        atHead = false;
        continue;
      }
      const { head, saved } = await this.catchUp(key, repository, loaded, epoch, stored);
      loaded = head;
      if (saved) stored = head;
      atHead = true;
    }
  }

  /**
   * Reads the log after `loaded`, and repairs a snapshot left behind by a process that died between
   * append and save, once it is due (at once for transfers, whose snapshots are saved after every
   * event; for accounts once the one it knows of is 16 versions behind). The head is remembered in
   * place of the stale state. A repair that fails is left to a later command, as a save after an
   * append is: the decision rests on the log, not on the snapshot.
   */
  private async catchUp<S, E extends DecidedEvent>(
    key: string,
    repository: AggregateRepository<S, E>,
    loaded: Loaded<S>,
    epoch: number,
    stored: Loaded<S> | undefined,
  ): Promise<{ readonly head: Loaded<S>; readonly saved: boolean }> {
    const head = await repository.catchUp(loaded);
    if (head.version > loaded.version) {
      // A snapshot that is not due yet (ADR 0028) is not written on a catch-up either: the next
      // due one is. The head is remembered over the snapshot this process knows of.
      if (!repository.isDue(head, stored?.version ?? 0)) {
        this.remembered.remember(key, repository, head, epoch, stored);
        return { head, saved: false };
      }
      try {
        await repository.save(head);
        this.remembered.remember(key, repository, head, epoch, head);
        return { head, saved: true };
      } catch (error) {
        this.remembered.delete(key);
        this.logger.warn({ aggregateId: head.aggregateId, version: head.version, err: error }, 'snapshot not repaired; a later command repairs it');
      }
    }
    return { head, saved: false };
  }

  /**
   * Once the event is in the log the command is accepted, whatever happens next: a snapshot that
   * is not saved is repaired by the next command, an event that is not published is delivered by
   * the reconciler. Failing the command here would invite a retry that applies it twice.
   * Saves the snapshot when `save` is given (it is due), with the stored one as the hint.
   */
  private async afterAppend<S, E extends DecidedEvent>(
    repository: AggregateRepository<S, E>,
    next: Loaded<S>,
    event: EventEnvelope,
    save: { readonly previous: Loaded<S> | undefined } | undefined,
  ): Promise<'saved' | 'not-due' | 'failed'> {
    let snapshot: 'saved' | 'not-due' | 'failed' = 'not-due';
    if (save) {
      try {
        await repository.save(next, save.previous);
        snapshot = 'saved';
      } catch (error) {
        snapshot = 'failed';
        this.logger.warn({ aggregateId: next.aggregateId, version: next.version, err: error }, 'snapshot not saved; the next command repairs it');
      }
    }
    // A log that publishes its appends itself has done so (ADR 0032).
    if (this.log.publishesAppends) return snapshot;
    try {
      await this.publisher.publish([event]);
    } catch (error) {
      this.logger.warn({ aggregateId: next.aggregateId, version: next.version, err: error }, 'event not published; the reconciler delivers it');
    }
    return snapshot;
  }
}
