import type { EntryEvent, HazelcastJsonValue, IMap } from 'hazelcast-client';
import type { VersionedViews, ViewChangeListener } from '../../domain/ports/read-model.port.js';
import type { HazelcastConnection } from './hazelcast-connection.js';
import { fromJsonValue, toJsonValue } from './json-codec.js';

/**
 * Views in an IMap. `get` may answer from the Near Cache, which can be stale (invalidations are
 * batched and fire-and-forget): a caller that needs a version reads `fresh`, straight from the
 * member. Writes are compare-and-set against the stored bytes, so a view never goes back.
 */
export class VersionedViewsHazelcast<V extends { readonly version: number }> implements VersionedViews<V> {
  private readonly listeners = new Set<ViewChangeListener>();
  private registration: Promise<string> | undefined;

  constructor(
    protected readonly connection: HazelcastConnection,
    protected readonly map: IMap<string, HazelcastJsonValue>,
  ) {}

  async get(id: string, options?: { readonly fresh?: boolean }): Promise<V | undefined> {
    if (options?.fresh) return fromJsonValue<V>(await this.readStored(id));
    return fromJsonValue<V>(await this.connection.call('get view', () => this.map.get(id)));
  }

  async compareAndSet(id: string, view: V, expectedVersion: number): Promise<boolean> {
    const next = toJsonValue(view);
    let written: boolean;
    if (expectedVersion === 0) {
      const previous = await this.connection.call('create view', () => this.map.putIfAbsent(id, next));
      written = previous === null || previous === undefined;
    } else {
      const stored = await this.readStored(id);
      if (!stored || fromJsonValue<V>(stored)!.version !== expectedVersion) return false;
      written = await this.connection.call('update view', () => this.map.replaceIfSame(id, stored, next));
    }
    // Waiters in this process learn at once; other processes through the entry listener.
    if (written) this.notify(id, view.version);
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

  /** Straight from the member: an entry view is never served by the Near Cache. */
  private async readStored(id: string): Promise<HazelcastJsonValue | undefined> {
    const entry = await this.connection.call('read view', () => this.map.getEntryView(id));
    return entry?.value ?? undefined;
  }

  private onEntry(event: EntryEvent<string, HazelcastJsonValue>): void {
    const view = fromJsonValue<V>(event.value);
    if (view) this.notify(event.key, view.version);
  }

  private notify(id: string, version: number): void {
    for (const listener of [...this.listeners]) listener(id, version);
  }
}
