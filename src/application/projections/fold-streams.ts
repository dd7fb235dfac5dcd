import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import { UnapplicableEventError } from './account-view.js';

export interface FoldedStreams<V> {
  readonly views: Map<string, V>;
  /** Streams not folded: not dense from version 1, or with an event the view cannot take. */
  readonly left: (readonly EventEnvelope[])[];
}

/**
 * Folds each stream from version 1 with `step`, which sees every event and the view after it (a
 * history entry is made there). A stream that does not start at 1 or skips a version, or whose
 * event `step` refuses, is left to the caller whole, and nothing of it is kept.
 */
export const foldStreams = <V>(
  streams: readonly (readonly EventEnvelope[])[],
  step: (view: V | undefined, event: EventEnvelope) => V,
): FoldedStreams<V> => {
  const views = new Map<string, V>();
  const left: (readonly EventEnvelope[])[] = [];
  for (const stream of streams) {
    let view: V | undefined;
    try {
      for (const [index, event] of stream.entries()) {
        if (event.version !== index + 1) throw new UnapplicableEventError(`version ${event.version} after ${index}`);
        view = step(view, event);
      }
    } catch (error) {
      if (!(error instanceof UnapplicableEventError)) throw error;
      left.push(stream);
      continue;
    }
    const first = stream[0];
    if (view !== undefined && first) views.set(first.aggregateId, view);
  }
  return { views, left };
};
