import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';

/**
 * Hands `visit` every event recorded in `[fromMs, toMs)`, window by window, halving a window until
 * it fits `limit`. A window of one millisecond that still does not fit is handed over as the log
 * returns it (its first `limit` events).
 */
export const forEachRecordedWindow = async (
  log: EventLog,
  fromMs: number,
  toMs: number,
  limit: number,
  visit: (events: readonly EventEnvelope[]) => Promise<void>,
): Promise<void> => {
  const window = await log.recordedBetween(fromMs, toMs, limit);
  if (!window.complete && toMs - fromMs > 1) {
    const middle = Math.floor((fromMs + toMs) / 2);
    await forEachRecordedWindow(log, fromMs, middle, limit, visit);
    await forEachRecordedWindow(log, middle, toMs, limit, visit);
    return;
  }
  await visit(window.events);
};
