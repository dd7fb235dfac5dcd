import { expect } from 'vitest';
import type { Decider } from '../../src/domain/shared/decider.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import type { DecidedEvent } from '../../src/domain/shared/event-envelope.js';

/**
 * Given past events (the first at version 1), when a command is decided, then these events, or
 * this refusal: an aggregate tested through its decider alone.
 */
export const specification = <C, E extends DecidedEvent, S>(decider: Decider<C, E, S>) => {
  const fold = (events: readonly E[]): S => events.reduce<S>((state, event, index) => decider.evolve(state, event, index + 1), decider.initialState);
  return {
    fold,
    given: (...events: E[]) => ({
      when: (command: C) => {
        const outcome = decider.decide(command, fold(events));
        return {
          then: (expected: readonly E[]): void => {
            expect(outcome).toEqual(expected);
          },
          thenRefused: (code: DomainError['code']): void => {
            expect(outcome).toBeInstanceOf(DomainError);
            expect((outcome as DomainError).code).toBe(code);
          },
        };
      },
    }),
  };
};
