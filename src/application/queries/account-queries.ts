import { DomainError } from '../../domain/shared/domain-error.js';
import type {
  AccountListQuery,
  AccountView,
  AccountViews,
  TransactionEntry,
  TransactionHistory,
} from '../../domain/ports/read-model.port.js';
import { decodeCursor, encodeCursor } from './cursor.js';
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

/** The read side of accounts, served from the read model only. */
export class AccountQueries {
  private readonly waiter: VersionWaiter<AccountView>;

  constructor(
    private readonly views: AccountViews,
    private readonly history: TransactionHistory,
  ) {
    this.waiter = new VersionWaiter(views);
  }

  async get(accountId: string, freshness?: Freshness): Promise<AccountView> {
    // Version 0 asks for nothing: every view, and no view, is at least there.
    const view =
      freshness?.minVersion === undefined || freshness.minVersion <= 0
        ? await this.views.get(accountId)
        : await this.waitFor(accountId, freshness.minVersion, freshness.waitMs);
    if (!view) throw new DomainError('ACCOUNT.NOT_FOUND', 'no such account');
    return view;
  }

  async list(filter: AccountFilter): Promise<Page<AccountView>> {
    const { cursor, ...query } = filter;
    const afterId = cursor === undefined ? undefined : decodeCursor(cursor, 'string');
    // One more than asked tells whether another page follows.
    const items = await this.views.list({ ...query, ...(afterId === undefined ? {} : { afterId }), limit: query.limit + 1 });
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
    throw new DomainError('READ_MODEL.LAGGING', `the read model has not reached version ${minVersion} within ${waitMs} ms`);
  }
}
