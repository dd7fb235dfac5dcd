import type { EntryEvent, HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { VersionedViews, ViewChangeListener } from '../../domain/ports/read-model.port.js';
import { RecentMap } from '../../application/shared/recent-map.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

/** How many ids' stored bytes one map's adapter remembers for its compare-and-sets. */
export const REMEMBERED_VIEWS = 10_000;

interface Seen {
  readonly value: HazelcastJsonValue;
  readonly version: number;
}

/**
 * Views in an IMap. `get` may answer from the Near Cache, which can be stale (invalidations are
 * batched and fire-and-forget): a caller that needs a version reads `fresh`, straight from the
 * member. Writes are compare-and-set against the stored bytes, so a view never goes back.
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

  constructor(
    protected readonly connection: HazelcastConnection,
    protected readonly map: IMap<string, HazelcastJsonValue>,
    rememberedViews = REMEMBERED_VIEWS,
  ) {
    this.seen = new RecentMap(rememberedViews);
  }

  async get(id: string, options?: { readonly fresh?: boolean }): Promise<V | undefined> {
    if (options?.fresh) return fromJsonValue<V>(await this.readStored(id));
    return fromJsonValue<V>(await this.connection.call('get view', () => this.map.get(id)));
  }

  async compareAndSet(id: string, view: V, expectedVersion: number): Promise<boolean> {
    const next = toJsonValue(view);
    const written = expectedVersion === 0 ? await this.create(id, next) : await this.replace(id, next, expectedVersion);
    if (written) {
      this.remember(id, next, view.version);
      // Waiters in this process learn at once; other processes through the entry listener.
      this.notify(id, view.version);
    }
    return written;
  }

  onChange(listener: ViewChangeListener): () => void {
    this.listeners.add(listener);
    this.registration ??= this.map.addEntryListener(
      {
        added: (event) => this.onEntry(event),
        updated: (event) => this.onEntry(event),
      },
      undefined,
      true,
    );
    return () => this.listeners.delete(listener);
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

  /** Straight from the member: an entry view is never served by the Near Cache. */
  private async readStored(id: string): Promise<HazelcastJsonValue | undefined> {
    const entry = await this.connection.call('read view', () => this.map.getEntryView(id));
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
    if (view) this.notify(event.key, view.version);
  }

  private notify(id: string, version: number): void {
    for (const listener of [...this.listeners]) listener(id, version);
  }
}
