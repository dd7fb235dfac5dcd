import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import { UnknownOutcomeError } from '../../src/application/ports/backend-errors.js';

/** What a process that has died throws from then on. */
export class Crash extends Error {}

/**
 * The event log as seen by a process that dies right after its `appends`-th append reached the log,
 * before anyone learns of it: that append and every later one throw `Crash`. Reads still work.
 */
export const dyingAfter = (log: EventLog, appends: number): EventLog => {
  let count = 0;
  return {
    read: (...args) => log.read(...args),
    recordedPage: (...args) => log.recordedPage(...args),
    streamsPage: (...args) => log.streamsPage(...args),
    streamsWithout: (...args) => log.streamsWithout(...args),
    streamIds: (...args) => log.streamIds(...args),
    count: (...args) => log.count(...args),
    ...(log.publishesAppends === undefined ? {} : { publishesAppends: log.publishesAppends }),
    append: async (event) => {
      if (count >= appends) throw new Crash('the process is gone');
      const outcome = await log.append(event);
      if (++count === appends) throw new Crash('died after appending');
      return outcome;
    },
  };
};

/** The crash itself, or the executor's report that it could not find out (the process is gone). */
export const diedOf = (error: unknown): boolean => error instanceof Crash || (error instanceof UnknownOutcomeError && error.cause instanceof Crash);
