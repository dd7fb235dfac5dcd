import type { EntryListener, IMap } from 'hazelcast-client';
import type { HazelcastConnection } from './hazelcast-connection.js';

/** A key that came or went, or the whole map emptied. */
type Change = { readonly key: string; readonly present: boolean } | 'cleared';

/**
 * The key set of a small IMap, kept in this process so that asking whether a key is there costs no
 * round trip. An entry listener registered before the key set is read keeps it in step: changes
 * heard while the key set is being read are applied over it once it is in, in the order heard (the
 * events of one key come in the order of its writes). This process's own writes change it at once.
 *
 * It answers from the map itself, as before, while it cannot be trusted: before it is loaded, when
 * registering the listener or reading the key set failed, for a key whose last write from here
 * failed, for a key whose own writes' entry events have not all come back yet, and until it is
 * read again after the client lost the cluster (one restarted without persistence comes back
 * empty, and entry events sent meanwhile are lost) or a member left (events that member had not
 * sent yet are lost with it).
 *
 * Another process's write is seen once its entry event arrives, usually within milliseconds.
 *
 * The mirror changes only by entry events, applied in the order heard, never by this process's
 * own writes: the event of an earlier write that arrives after a later write of ours would
 * otherwise undo it, for good (a park heard after the unpark that followed it). While the events
 * of its own writes to a key are still to come, the map answers for that key.
 */
export class KeySetMirror {
  private keys = new Set<string>();
  /** Changes heard while the key set is being read; undefined when no read is under way. */
  private pending: Change[] | undefined;
  private registration: Promise<string> | undefined;
  /** When the key set was read: the connection epoch and how many members had left by then. */
  private inStepWith: string | undefined;
  private loading: Promise<boolean> | undefined;
  /** Keys whose last write from this process failed: whether it got in is for the map to say. */
  private readonly unsure = new Set<string>();
  /** Per key, how many entry events of this process's own writes are still to come. */
  private readonly echoes = new Map<string, number>();

  constructor(
    private readonly connection: HazelcastConnection,
    private readonly map: IMap<string, unknown>,
    private readonly operation: string,
  ) {}

  async has(key: string): Promise<boolean> {
    if (!this.unsure.has(key) && !this.echoes.has(key) && (await this.inStep())) return this.keys.has(key);
    return this.connection.call(this.operation, () => this.map.containsKey(key));
  }

  /**
   * Runs this process's write of `key`; `work` answers whether the map changed, so that an entry
   * event follows. Until that event is heard, `has(key)` asks the map.
   */
  async write(key: string, work: () => Promise<boolean>): Promise<void> {
    // Counted before the write is sent: its event may come before its answer.
    this.expectEchoes(key, 1);
    let changed: boolean;
    try {
      changed = await work();
    } catch (error) {
      this.unsure.add(key);
      this.expectEchoes(key, -1);
      throw error;
    }
    this.unsure.delete(key);
    if (!changed) this.expectEchoes(key, -1);
  }

  private expectEchoes(key: string, delta: number): void {
    const count = (this.echoes.get(key) ?? 0) + delta;
    if (count > 0) this.echoes.set(key, count);
    else this.echoes.delete(key);
  }

  private async inStep(): Promise<boolean> {
    if (this.inStepWith === this.now()) return true;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private now(): string {
    return this.connection.membership();
  }

  private async load(): Promise<boolean> {
    this.pending = [];
    try {
      // Taken before the key set is read: a member lost or a reconnection during the read means
      // another read.
      const readAt = this.now();
      this.registration ??= this.map.addEntryListener(this.listener(), undefined, false);
      await this.registration.catch((error: unknown) => {
        this.registration = undefined;
        throw error;
      });
      const keys = new Set(await this.connection.call(this.operation, () => this.map.keySet()));
      for (const change of this.pending) apply(keys, change);
      this.keys = keys;
      this.inStepWith = readAt;
      // Read after every write this process had finished: what their events would say, the key set says.
      this.echoes.clear();
      return true;
    } catch {
      return false;
    } finally {
      this.pending = undefined;
    }
  }

  private listener(): EntryListener<string, unknown> {
    const present = (event: { key: string }): void => this.heard({ key: event.key, present: true });
    const absent = (event: { key: string }): void => this.heard({ key: event.key, present: false });
    const cleared = (): void => this.heard('cleared');
    return { added: present, merged: present, loaded: present, removed: absent, evicted: absent, expired: absent, mapCleared: cleared, mapEvicted: cleared };
  }

  private heard(change: Change): void {
    this.pending?.push(change);
    apply(this.keys, change);
    // Whose write an event is, it does not say: any event of the key counts. Counted too early,
    // the mirror may show an older state until the next event, never for good.
    if (change !== 'cleared') this.expectEchoes(change.key, -1);
  }
}

const apply = (keys: Set<string>, change: Change): void => {
  if (change === 'cleared') keys.clear();
  else if (change.present) keys.add(change.key);
  else keys.delete(change.key);
};
