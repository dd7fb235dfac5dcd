import type { VersionedViews, ViewStaleness } from '../../domain/ports/read-model.port.js';

/**
 * Writes the staleness into the stored view at its own version: queries keep answering it and say
 * it is stale. A later apply writes a view without it. Losing a race here only loses the mark.
 */
export const markStale = async <V extends { readonly version: number; readonly stale?: ViewStaleness }>(
  views: VersionedViews<V>,
  id: string,
  staleness: ViewStaleness,
): Promise<void> => {
  const view = await views.get(id, { fresh: true });
  if (view) await views.compareAndSet(id, { ...view, stale: staleness }, view.version);
};
