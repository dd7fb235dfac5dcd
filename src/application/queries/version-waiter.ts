import type { VersionedViews } from '../../domain/ports/read-model.port.js';

interface Waiter {
  readonly minVersion: number;
  readonly wake: () => void;
}

/**
 * Read-your-writes: waits until a view reaches a version, woken by the read model's change
 * notifications (never by polling), bounded by a deadline.
 */
export class VersionWaiter<V extends { readonly version: number }> {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly views: VersionedViews<V>) {}

  /** The view at `minVersion` or later, or undefined when `waitMs` ran out first. */
  async waitFor(id: string, minVersion: number, waitMs: number): Promise<V | undefined> {
    this.unsubscribe ??= this.views.onChange((changedId, version) => this.notify(changedId, version));
    const cached = await this.views.get(id);
    if (cached && cached.version >= minVersion) return cached;
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Register before reading, so a change between the read and the wait is not missed.
      const changed = this.changeAtLeast(id, minVersion, deadline - Date.now());
      const fresh = await this.views.get(id, { fresh: true });
      if (fresh && fresh.version >= minVersion) {
        changed.cancel();
        return fresh;
      }
      if (!(await changed.promise)) return undefined;
    }
  }

  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private changeAtLeast(id: string, minVersion: number, waitMs: number): { promise: Promise<boolean>; cancel: () => void } {
    let settle!: (changed: boolean) => void;
    const promise = new Promise<boolean>((resolve) => (settle = resolve));
    const set = this.waiters.get(id) ?? new Set<Waiter>();
    this.waiters.set(id, set);
    const finish = (changed: boolean): void => {
      clearTimeout(timer);
      set.delete(waiter);
      if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
      settle(changed);
    };
    const waiter: Waiter = { minVersion, wake: () => finish(true) };
    set.add(waiter);
    const timer = setTimeout(() => finish(false), Math.max(0, waitMs));
    return { promise, cancel: () => finish(false) };
  }

  private notify(id: string, version: number): void {
    for (const waiter of [...(this.waiters.get(id) ?? [])]) if (version >= waiter.minVersion) waiter.wake();
  }
}
