import type { Loaded } from './aggregate-repository.js';
import { RecentMap } from '../../support/recent-map.js';

interface Remembered {
  readonly repository: object;
  readonly loaded: Loaded<unknown>;
  /** The snapshot the store holds, as far as this process knows (the hint for the next save). */
  readonly stored: Loaded<unknown> | undefined;
  /** The backend's connection epoch when the state was known to be the log's head. */
  readonly epoch: number;
}

/**
 * The state of each aggregate after this process's last command on it (ADR 0024), for the most
 * recently used `capacity` aggregates: the next command starts from it instead of the store. A
 * state is kept per repository and per connection epoch: one remembered by another repository, or
 * before the backend was lost, is forgotten when asked for.
 */
export class RememberedStates {
  private readonly states: RecentMap<string, Remembered>;

  constructor(capacity: number) {
    this.states = new RecentMap(capacity);
  }

  /** The state remembered for `key`, unless it was another repository's or the backend was lost since. */
  recall<S>(key: string, repository: object, epoch: number): { readonly loaded: Loaded<S>; readonly stored: Loaded<S> | undefined } | undefined {
    const remembered = this.states.get(key);
    if (!remembered) return undefined;
    if (remembered.repository !== repository || remembered.epoch !== epoch) {
      this.states.delete(key);
      return undefined;
    }
    return remembered as { readonly loaded: Loaded<S>; readonly stored: Loaded<S> | undefined };
  }

  remember<S>(key: string, repository: object, loaded: Loaded<S>, epoch: number, stored: Loaded<S> | undefined): void {
    this.states.set(key, { repository, loaded, epoch, stored });
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}
