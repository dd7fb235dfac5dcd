import type { AccountsGeneration, TransfersGeneration } from './read-model.port.js';

/** The projections a read model is made of; each is rebuilt on its own. */
export const PROJECTION_NAMES = ['accounts', 'transfers'] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

/**
 * Which generation of a projection's stores queries read (`active`), and which one a rebuild is
 * filling (`building`). A rebuild writes a fresh generation from the event log, then makes it active.
 */
export interface Generations {
  readonly active: number;
  readonly building?: number;
}

export interface ReadModelGenerations {
  /** `{ active: 0 }` until a rebuild says otherwise. */
  state(projection: ProjectionName): Promise<Generations>;
  /** Moves the state from `expected` to `next`; false when another process moved it first. */
  compareAndSetState(projection: ProjectionName, expected: Generations, next: Generations): Promise<boolean>;
  /** Notified, possibly from other processes, when a projection's state changed. */
  onStateChange(listener: (projection: ProjectionName) => void): () => void;
  /** The stores of one generation; generation 0 is the backend's own views. */
  accounts(generation: number): Promise<AccountsGeneration>;
  transfers(generation: number): Promise<TransfersGeneration>;
  /** Deletes a generation's stores (never the active one). */
  drop(projection: ProjectionName, generation: number): Promise<void>;
}
