import type { EventEnvelope } from '../../domain/shared/event-envelope.js';
import type { AccountView, AccountViews, TransactionEntry, TransactionHistory, ViewStaleness } from '../../domain/ports/read-model.port.js';
import { writeRebuilt, type Projection, type RebuildWrite } from './projection.js';
import { markStale } from './mark-stale.js';
import { evolveAccountView, transactionEntry } from './account-view.js';
import { foldStreams } from './fold-streams.js';

/** Account view and transaction history. History entries are written first: a view at version n promises them. */
export class AccountProjection implements Projection<AccountView> {
  readonly aggregateType = 'account' as const;

  constructor(
    private readonly views: AccountViews,
    private readonly history: TransactionHistory,
    readonly name: string = 'accounts',
  ) {}

  load(accountId: string): Promise<AccountView | undefined> {
    return this.views.get(accountId, { fresh: true });
  }

  recall(accountId: string): AccountView | undefined {
    return this.views.recall(accountId);
  }

  async apply(accountId: string, current: AccountView | undefined, events: readonly EventEnvelope[]): Promise<boolean> {
    let view = current;
    const entries: TransactionEntry[] = [];
    for (const event of events) {
      view = evolveAccountView(view, event);
      const entry = transactionEntry(event, view);
      if (entry) entries.push(entry);
    }
    if (!view) return true;
    // Entries are a pure function of the log, so a racing projector writes the same ones.
    await this.history.putAll(entries);
    return this.views.compareAndSet(accountId, view, current?.version ?? 0);
  }

  async rebuild(streams: readonly (readonly EventEnvelope[])[], options?: RebuildWrite): Promise<readonly (readonly EventEnvelope[])[]> {
    const entries = new Map<string, TransactionEntry[]>();
    const { views, left } = foldStreams<AccountView>(streams, (view, event) => {
      const next = evolveAccountView(view, event);
      const entry = transactionEntry(event, next);
      const list = entries.get(event.aggregateId);
      if (entry && list) list.push(entry);
      else if (entry) entries.set(event.aggregateId, [entry]);
      return next;
    });
    // A stream left whole writes no entry here; the usual path writes them.
    await this.history.putAll([...views.keys()].flatMap((id) => entries.get(id) ?? []));
    await writeRebuilt(this.views, views, options);
    return left;
  }

  markStale(id: string, staleness: ViewStaleness): Promise<void> {
    return markStale(this.views, id, staleness);
  }
}
