import type { VersionedViews, ViewChangeListener } from '../../domain/ports/read-model.port.js';

export class VersionedViewsInMemory<V extends { readonly version: number }> implements VersionedViews<V> {
  protected readonly views = new Map<string, V>();
  private readonly listeners = new Set<ViewChangeListener>();

  async get(id: string): Promise<V | undefined> {
    return this.views.get(id);
  }

  recall(id: string): V | undefined {
    return this.views.get(id);
  }

  async compareAndSet(id: string, view: V, expectedVersion: number): Promise<boolean> {
    const stored = this.views.get(id);
    if ((stored?.version ?? 0) !== expectedVersion) return false;
    this.write(id, view, stored);
    return true;
  }

  async raiseAll(views: ReadonlyMap<string, V>): Promise<number> {
    let written = 0;
    for (const [id, view] of views) {
      const stored = this.views.get(id);
      if (stored && stored.version >= view.version) continue;
      if (await this.compareAndSet(id, view, stored?.version ?? 0)) written++;
    }
    return written;
  }

  async overwriteAll(views: ReadonlyMap<string, V>): Promise<void> {
    for (const [id, view] of views) this.write(id, view, this.views.get(id));
  }

  private write(id: string, view: V, stored: V | undefined): void {
    this.views.set(id, view);
    if (!stored) this.added(id);
    for (const listener of [...this.listeners]) listener(id, view.version);
  }

  onChange(listener: ViewChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hook for subclasses that index ids. */
  protected added(_id: string): void {}
}
