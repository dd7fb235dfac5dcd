import type { EntryEvent, HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { Clock } from '../../domain/ports/clock.port.js';
import type { VersionedViews, ViewChangeListener } from '../../domain/ports/read-model.port.js';
import { RecentMap } from '../../support/recent-map.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';
import { PushedViews } from './pushed-views.js';

/** How many ids' stored bytes one map's adapter remembers for its compare-and-sets. */
export const REMEMBERED_VIEWS = 10_000;
/** How many pushed views one map's adapter holds (as many as its Near Cache). */
export const PUSHED_VIEWS = 100_000;

/** Plain reads answered from views the member pushed, for at most `maxAgeMs` after each arrived. */
export interface PushedReads {
  readonly maxAgeMs: number;
  readonly clock: Clock;
}

interface Seen {
  readonly value: HazelcastJsonValue;
  readonly version: number;
}

/**
 * Views in an IMap. A plain `get` may answer from a view the member pushed (`PushedReads`, ADR
 * 0026) or from the Near Cache, either of which can be stale (events and invalidations are
 * fire-and-forget, invalidations batched): a caller that needs a version reads `fresh`, straight
 * from the member. Writes are compare-and-set against the stored bytes, so a view never goes back.
 *
 * The bytes last read from or written to the member are remembered per id, to serve as the
 * expected value of the next compare-and-set without reading the entry again (a projection reads
 * it fresh just before). They never answer a read: a remembered value that is no longer stored
 * (another process wrote, the map was cleared or dropped) only makes `replaceIfSame` fail, and the
 * write then reads the stored entry and compares its version as it always did. They are used only
 * when their version is the expected one, so a replace over them succeeds only over that version.
 */
export class VersionedViewsHazelcast<V extends { readonly version: number }> implements VersionedViews<V> {
  private readonly listeners = new Set<ViewChangeListener>();
  private registration: Promise<string> | undefined;
  private readonly seen: RecentMap<string, Seen>;
  private readonly pushed: { readonly views: PushedViews<V>; readonly clock: Clock } | undefined;

  constructor(
    protected readonly connection: HazelcastConnection,
    protected readonly map: IMap<string, HazelcastJsonValue>,
    pushedReads?: PushedReads,
    rememberedViews = REMEMBERED_VIEWS,
  ) {
    this.seen = new RecentMap(rememberedViews);
    if (pushedReads && pushedReads.maxAgeMs > 0) this.pushed = { views: new PushedViews(pushedReads.maxAgeMs, PUSHED_VIEWS), clock: pushedReads.clock };
  }

  async get(id: string, options?: { readonly fresh?: boolean }): Promise<V | undefined> {
    if (options?.fresh) return fromJsonValue<V>(await this.readStored(id));
    if (!this.pushed) return this.readCached(id);
    // The first plain read starts the pushes; until they arrive the Near Cache answers.
    this.listen();
    const held = this.pushed.views.lookup(id, this.pushed.clock.now(), this.connection.connectionEpoch());
    if (held?.current) return held.view;
    const cached = await this.readCached(id);
    // The Near Cache learns of changes in batches (up to 10 s apart on a quiet member): below a
    // version this process already saw, it is stale, and a read must not go back.
    if (held && (!cached || cached.version < held.view.version)) return fromJsonValue<V>(await this.readStored(id));
    return cached;
  }

  recall(id: string): V | undefined {
    const seen = this.seen.get(id);
    return seen ? fromJsonValue<V>(seen.value) : undefined;
  }

  async compareAndSet(id: string, view: V, expectedVersion: number): Promise<boolean> {
    const next = toJsonValue(view);
    const written = expectedVersion === 0 ? await this.create(id, next) : await this.replace(id, next, expectedVersion);
    if (written) {
      this.remember(id, next, view.version);
      this.hold(id, view);
      // Waiters in this process learn at once; other processes through the entry listener.
      this.notify(id, view.version);
    }
    return written;
  }

  async raiseAll(views: ReadonlyMap<string, V>): Promise<number> {
    if (views.size === 0) return 0;
    const stored = await this.connection.call('read views', () => this.map.getAll([...views.keys()]));
    const versions = new Map(stored.map(([id, value]) => [id, fromJsonValue<V>(value)?.version ?? 0]));
    const raised = [...views].filter(([id, view]) => (versions.get(id) ?? 0) < view.version);
    if (raised.length === 0) return 0;
    await this.writeAll(raised);
    return raised.length;
  }

  async overwriteAll(views: ReadonlyMap<string, V>): Promise<void> {
    // setAll, not putAll: the members neither return nor load the entries it replaces.
    if (views.size > 0) await this.writeAll([...views]);
  }

  private async writeAll(views: readonly (readonly [string, V])[]): Promise<void> {
    await this.connection.call('write views', () => this.map.setAll(views.map(([id, view]) => [id, toJsonValue(view)])));
    for (const [id, view] of views) {
      // The bytes this process remembers for its next compare-and-set are no longer the stored ones.
      this.seen.delete(id);
      this.hold(id, view);
      this.notify(id, view.version);
    }
  }

  onChange(listener: ViewChangeListener): () => void {
    this.listeners.add(listener);
    this.listen();
    return () => this.listeners.delete(listener);
  }

  /** Registers the entry listener once (values included: waiters need the version, reads the view). */
  private listen(): void {
    this.registration ??= this.map
      .addEntryListener(
        {
          added: (event) => this.onEntry(event),
          updated: (event) => this.onEntry(event),
          removed: (event) => this.pushed?.views.forget(event.key),
          evicted: (event) => this.pushed?.views.forget(event.key),
          expired: (event) => this.pushed?.views.forget(event.key),
          mapCleared: () => this.pushed?.views.clear(),
          mapEvicted: () => this.pushed?.views.clear(),
        },
        undefined,
        true,
      )
      .catch((error: unknown) => {
        // Not registered: the next read or subscription tries again.
        this.registration = undefined;
        throw error;
      });
    this.registration.catch(() => undefined);
  }

  private async create(id: string, next: HazelcastJsonValue): Promise<boolean> {
    const previous = await this.connection.call('create view', () => this.map.putIfAbsent(id, next));
    if (previous === null || previous === undefined) return true;
    this.remember(id, previous);
    return false;
  }

  private async replace(id: string, next: HazelcastJsonValue, expectedVersion: number): Promise<boolean> {
    const seen = this.seen.get(id);
    if (seen?.version === expectedVersion) {
      if (await this.connection.call('update view', () => this.map.replaceIfSame(id, seen.value, next))) return true;
      // Stored bytes other than the remembered ones; whether their version is the expected one,
      // only reading them tells.
      this.seen.delete(id);
    }
    const stored = await this.readStored(id);
    if (!stored || fromJsonValue<V>(stored)!.version !== expectedVersion) return false;
    return this.connection.call('update view', () => this.map.replaceIfSame(id, stored, next));
  }

  /** Through the Near Cache, which may answer an older view. */
  private async readCached(id: string): Promise<V | undefined> {
    return fromJsonValue<V>(await this.connection.call('get view', () => this.map.get(id)));
  }

  /**
   * Straight from the member: an entry view is never served by the Near Cache. It does not load a
   * view the member holds only in PostgreSQL (not read since a full restart, ADR 0054), so when
   * there is none the member is asked whether it has the key, which loads it from the map store on
   * the partition's thread (never over a view written meanwhile, as `loadAll` could), and is read
   * again. The Near Cache may answer that question: it holds only what the members handed it since
   * the client last met a new cluster, and the views are never evicted.
   */
  private async readStored(id: string): Promise<HazelcastJsonValue | undefined> {
    let entry = await this.connection.call('read view', () => this.map.getEntryView(id));
    if (!entry && (await this.connection.call('load view', () => this.map.containsKey(id)))) {
      entry = await this.connection.call('read view', () => this.map.getEntryView(id));
    }
    const value = entry?.value ?? undefined;
    if (value) this.remember(id, value);
    else this.seen.delete(id);
    return value;
  }

  private remember(id: string, value: HazelcastJsonValue, version = fromJsonValue<V>(value)?.version): void {
    if (typeof version === 'number') this.seen.set(id, { value, version });
  }

  private onEntry(event: EntryEvent<string, HazelcastJsonValue>): void {
    const view = fromJsonValue<V>(event.value);
    if (!view) return;
    this.hold(event.key, view);
    this.notify(event.key, view.version);
  }

  private hold(id: string, view: V): void {
    this.pushed?.views.accept(id, view, this.pushed.clock.now(), this.connection.connectionEpoch());
  }

  private notify(id: string, version: number): void {
    for (const listener of [...this.listeners]) listener(id, version);
  }
}
