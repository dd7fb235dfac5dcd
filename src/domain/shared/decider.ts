import type { DomainError } from './domain-error.js';
import type { DecidedEvent } from './event-envelope.js';

/**
 * An aggregate as one value: its state before any event, the events a command decides on a state
 * (or the business refusal), and how each event moves the state on. The repository folds a stream
 * with `evolve` from `initialState`; the executor runs `decide` on the folded state; a test gives
 * events, runs a command and expects events or a refusal, with nothing else in between.
 */
export interface Decider<C, E extends DecidedEvent, S> {
  readonly initialState: S;
  decide(command: C, state: S): DomainError | readonly E[];
  /** `version` is the event's own, 1-based in its stream. */
  evolve(state: S, event: E, version: number): S;
}
