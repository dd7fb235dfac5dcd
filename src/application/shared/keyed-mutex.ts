/**
 * Serializes async work per key inside this process: concurrent commands on one aggregate queue up
 * instead of racing to a version conflict. Other processes are handled by compare-and-set.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();
  private queuedRuns = 0;

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const waiting = this.tails.get(key);
    if (waiting) this.queuedRuns++;
    const previous = waiting ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Runs that found another run of their key in progress, and waited for it, since this mutex was made. */
  get queued(): number {
    return this.queuedRuns;
  }

  get size(): number {
    return this.tails.size;
  }
}
