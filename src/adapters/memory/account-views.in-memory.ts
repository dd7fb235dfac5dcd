import type { AccountListQuery, AccountView, AccountViews } from '../../domain/ports/read-model.port.js';
import { VersionedViewsInMemory } from './versioned-views.in-memory.js';

/** Account views with the ids kept sorted, so list pages walk them in order. */
export class AccountViewsInMemory extends VersionedViewsInMemory<AccountView> implements AccountViews {
  private readonly sortedIds: string[] = [];

  protected override added(id: string): void {
    this.sortedIds.splice(lowerBound(this.sortedIds, id), 0, id);
  }

  async list(query: AccountListQuery): Promise<readonly AccountView[]> {
    const found: AccountView[] = [];
    let index = query.afterId === undefined ? 0 : lowerBound(this.sortedIds, query.afterId);
    if (query.afterId !== undefined && this.sortedIds[index] === query.afterId) index++;
    for (; index < this.sortedIds.length && found.length < query.limit; index++) {
      const view = this.views.get(this.sortedIds[index]!)!;
      if (query.owner !== undefined && view.owner !== query.owner) continue;
      if (query.status !== undefined && view.status !== query.status) continue;
      if (query.minBalance !== undefined && view.balance < query.minBalance) continue;
      if (query.maxBalance !== undefined && view.balance > query.maxBalance) continue;
      found.push(view);
    }
    return found;
  }

  /** Every view is held here: there is no store behind these views to read back from. */
  async holdAll(_ids: readonly string[]): Promise<void> {}
}

/** First index whose id is not below `id`, in code-point order (ids are ASCII, so code units agree). */
const lowerBound = (sorted: readonly string[], id: string): number => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return low;
};
