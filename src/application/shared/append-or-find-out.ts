import { sameEvent, type EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { AppendOutcome, EventLog } from '../../domain/ports/event-log.port.js';
import { UnknownOutcomeError } from '../ports/backend-errors.js';

/**
 * Appends; when the backend fails during the append, looks whether the event got in after all.
 * Ours there: appended. Another event there: a conflict. Nothing, or no answer: the outcome is
 * unknown, and the error says where to look.
 */
export const appendOrFindOut = async (log: EventLog, event: EventEnvelope): Promise<AppendOutcome> => {
  try {
    return await log.append(event);
  } catch (error) {
    const check = {
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      version: event.version,
      eventId: event.eventId,
    };
    const found = await log.read(event.aggregateType, event.aggregateId, event.version, event.version).catch(() => undefined);
    if (found?.[0] && sameEvent(found[0], event)) return { ok: true };
    if (found?.[0]) return { ok: false, reason: 'conflict', existing: found[0] };
    throw new UnknownOutcomeError(`the outcome of appending ${event.aggregateType} ${event.aggregateId}@${event.version} is unknown`, check, {
      cause: error,
    });
  }
};
