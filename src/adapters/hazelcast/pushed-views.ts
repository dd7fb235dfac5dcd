import { RecentMap } from '../../support/recent-map.js';

interface Held<V> {
  readonly view: V;
  /** When it arrived, on this process's clock. */
  readonly atMs: number;
}

/**
 * Views the member pushed to this process (entry events carry the new value) or that this process
 * wrote itself, held to answer plain reads without a call to the member. A Near Cache only drops
 * an entry when it changes, so under heavy writes most reads of a changing view miss it and wait
 * on a member busy with the writes; a pushed view is already here.
 *
 * Entry events are fire-and-forget: the member drops them when its event queue is full, and a lost
 * connection loses all sent meanwhile. A held view may then be older than the stored one, so it
 * answers only for `maxAgeMs` after it arrived, a later version always replaces it, and all are
 * dropped when the connection epoch changes. A read that needs a version goes to the member anyway.
 * Held views are bounded in number, not in time: past `maxAgeMs` a view's version still serves as
 * a floor below which a cached view is known to be stale.
 */
export class PushedViews<V extends { readonly version: number }> {
  private readonly held: RecentMap<string, Held<V>>;
  private epoch: number | undefined;

  constructor(
    private readonly maxAgeMs: number,
    capacity: number,
  ) {
    this.held = new RecentMap(capacity);
  }

  /** A view that arrived at `nowMs`; an older version than the one held changes nothing. */
  accept(id: string, view: V, nowMs: number, epoch: number): void {
    this.sync(epoch);
    const held = this.held.get(id);
    if (held && held.view.version > view.version) return;
    this.held.set(id, { view, atMs: nowMs });
  }

  /**
   * The view held for `id` in this connection epoch; `current` while it arrived at most `maxAgeMs`
   * ago. An older one no longer answers, but its version still tells that a cached view below it
   * is stale (views never go back).
   */
  lookup(id: string, nowMs: number, epoch: number): { readonly view: V; readonly current: boolean } | undefined {
    this.sync(epoch);
    const held = this.held.get(id);
    return held && { view: held.view, current: nowMs - held.atMs <= this.maxAgeMs };
  }

  forget(id: string): void {
    this.held.delete(id);
  }

  clear(): void {
    this.held.clear();
  }

  private sync(epoch: number): void {
    if (this.epoch === epoch) return;
    this.held.clear();
    this.epoch = epoch;
  }
}
