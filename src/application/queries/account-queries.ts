import { ApplicationError } from '../ports/application-error.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type {
  AccountListQuery,
  AccountView,
  AccountViews,
  TransactionEntry,
  TransactionHistory,
} from '../../domain/ports/read-model.port.js';
import type { EventLog } from '../../domain/ports/event-log.port.js';
import type { ReadModelCurrency } from '../read-model/read-model-currency.js';
import type { HeldViews } from '../read-model/held-views.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { CurrentViews } from './current-views.js';
import { VersionWaiter } from './version-waiter.js';

export interface Freshness {
  /** Wait until the view holds at least this version. */
  readonly minVersion?: number;
  readonly waitMs: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export type AccountFilter = Omit<AccountListQuery, 'afterId'> & { readonly cursor?: string };

/**
 * The read side of accounts, served from the read model only. A view not known to be current is
 * never answered as if it were (ADR 0030): see `CurrentViews`.
 */
export class AccountQueries {
  private readonly waiter: VersionWaiter<AccountView>;
  private readonly current: CurrentViews;

  constructor(
    private readonly views: AccountViews,
    private readonly history: TransactionHistory,
    log: EventLog,
    private readonly currency: ReadModelCurrency,
    private readonly held: HeldViews,
  ) {
    this.waiter = new VersionWaiter(views);
    this.current = new CurrentViews('account', log, currency);
  }

  async get(accountId: string, freshness?: Freshness): Promise<AccountView> {
    const view = await this.current.read(accountId, async (fresh) => {
      // Version 0 asks for nothing: every view, and no view, is at least there.
      if (freshness?.minVersion === undefined || freshness.minVersion <= 0) return this.views.get(accountId, fresh ? { fresh } : undefined);
      // Waiting for a version reads past the caches already, and never answers no view.
      return this.waitFor(accountId, freshness.minVersion, freshness.waitMs);
    });
    if (!view) throw new DomainError('ACCOUNT.NOT_FOUND', 'no such account');
    return view;
  }

  async list(filter: AccountFilter): Promise<Page<AccountView>> {
    const { cursor, ...query } = filter;
    const afterId = cursor === undefined ? undefined : decodeCursor(cursor, 'string');
    // A list cannot be checked view by view against the log: while the views are not known to be
    // current, or not all held where the list looks (ADR 0054), it is not answered at all.
    const epoch = await this.currency.current();
    const heldIn = await this.held.current();
    // One more than asked tells whether another page follows.
    const items = await this.views.list({ ...query, ...(afterId === undefined ? {} : { afterId }), limit: query.limit + 1 });
    if (!this.currency.holds(epoch) || !this.held.holds(heldIn)) throw CurrentViews.lagging();
    const page = items.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > query.limit && last ? encodeCursor(last.accountId) : null };
  }

  async transactions(
    accountId: string,
    page: { readonly cursor?: string; readonly limit: number },
    freshness?: Freshness,
  ): Promise<Page<TransactionEntry> & { readonly version: number }> {
    const afterVersion = page.cursor === undefined ? 0 : decodeCursor(page.cursor, 'number');
    const view = await this.get(accountId, freshness);
    const items = await this.history.list(accountId, afterVersion, view.version, page.limit);
    const last = items[items.length - 1];
    // The version the page was read at, so a caller can tag the page with it (ETag).
    return { items, nextCursor: last && last.version < view.version ? encodeCursor(last.version) : null, version: view.version };
  }

  close(): void {
    this.waiter.close();
  }

  private async waitFor(accountId: string, minVersion: number, waitMs: number): Promise<AccountView | undefined> {
    const view = await this.waiter.waitFor(accountId, minVersion, waitMs);
    if (view) return view;
    throw new ApplicationError('READ_MODEL.LAGGING', `the read model has not reached version ${minVersion} within ${waitMs} ms`);
  }
}
