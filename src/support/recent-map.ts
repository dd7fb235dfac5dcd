/**
 * A map bounded to the `capacity` keys set most recently: setting a key makes it the newest, and
 * the oldest goes when there are too many. It holds what a process remembers to save a round
 * trip, never anything that must not be lost. A capacity of 0 remembers nothing.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    // A Map iterates in insertion order: deleting first moves the key to the newest end.
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
