import type { Application } from '../../src/application/application.js';
import { BackendUnavailableError } from '../../src/application/ports/backend-errors.js';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import { ApplicationError } from '../../src/application/ports/application-error.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import { foldLog } from './fold-of-log.js';
import { canonicalJson } from '../../src/adapters/shared/canonical-json.js';

const PACE_MS = 5;

export interface AnswerTally {
  /** Views answered, each checked against the log at the version it states. */
  correct: number;
  /** 503 read-model-lagging: an explicit refusal. */
  lagging: number;
  /** The backend not reachable (503 unavailable): an explicit refusal too. */
  unavailable: number;
  readonly wrong: string[];
}

/**
 * The checker of the rule "never a wrong answer" (ADR 0030): asks for every account, round after
 * round, until stopped. An answer is right when it is the fold of the account's stream up to the
 * version it states, and that version is not below one answered before (`floor`, filled as it
 * goes); a refusal is right when it is explicit (503). "No such account" for a stream the log holds
 * is wrong, and so is anything else.
 */
export const checkAnswers = (
  app: Application,
  log: EventLog,
  accountIds: readonly string[],
  floor: Map<string, number>,
): { readonly tally: AnswerTally; stop(): Promise<AnswerTally> } => {
  const tally: AnswerTally = { correct: 0, lagging: 0, unavailable: 0, wrong: [] };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const id of accountIds) await checkOne(app, log, id, floor, tally);
      // A pace, not a wait for anything: on two cores a tight loop of refusals while the cluster
      // is away would starve the members being started.
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
  })();
  return {
    tally,
    stop: async () => {
      stopped = true;
      await loop;
      return tally;
    },
  };
};

export const checkOne = async (app: Application, log: EventLog, id: string, floor: Map<string, number>, tally: AnswerTally): Promise<void> => {
  let view;
  try {
    view = await app.accountQueries.get(id);
  } catch (error) {
    if (error instanceof BackendUnavailableError) {
      tally.unavailable++;
      return;
    }
    if (error instanceof ApplicationError && error.code === 'READ_MODEL.LAGGING') {
      tally.lagging++;
      return;
    }
    if (error instanceof DomainError) {
      tally.wrong.push(`${id}: ${error.code}`);
      return;
    }
    throw error;
  }
  const events = await log.read('account', id, 1, view.version).catch(() => undefined);
  if (!events) return;
  const expected = foldLog(events).accounts.get(id);
  if (events.length !== view.version || canonicalJson(expected) !== canonicalJson(view)) {
    tally.wrong.push(`${id}@${view.version}: ${JSON.stringify(view)} is not the fold of its stream`);
    return;
  }
  if (view.version < (floor.get(id) ?? 0)) {
    tally.wrong.push(`${id}@${view.version}: below version ${floor.get(id)} answered before`);
    return;
  }
  floor.set(id, view.version);
  tally.correct++;
};

