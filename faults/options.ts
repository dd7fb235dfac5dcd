/** The faults a run can inject, and what a run is asked for. */

export type FaultName =
  | 'kill-member'
  | 'stop-member'
  | 'kill-instance'
  | 'slow-projection'
  | 'network'
  | 'postgres-restart'
  | 'cluster-outage'
  | 'postgres-outage'
  | 'split-brain';

export const ALL_FAULTS: readonly FaultName[] = [
  'kill-member',
  'stop-member',
  'kill-instance',
  'slow-projection',
  'network',
  'postgres-restart',
  'cluster-outage',
  'postgres-outage',
  'split-brain',
];

/** Faults whose dependency stays away for `longOutageMs` while the load goes on (ADR 0031). */
export const LONG_OUTAGES: readonly FaultName[] = ['cluster-outage', 'postgres-outage'];

export interface HarnessOptions {
  readonly faults: readonly FaultName[];
  /** How long the load runs in each phase; the fault comes a third of the way in. */
  readonly loadMs: number;
  readonly clients: number;
  readonly accounts: number;
  /** How long a stopped member (SIGSTOP) or instance stays stopped, and an outage lasts. */
  readonly outageMs: number;
  /** How long the whole cluster, or PostgreSQL, stays away in the long outages; the load runs that much longer. Default 120 s. */
  readonly longOutageMs?: number;
  /** The bound within which the views must equal the fold of the log after the load. */
  readonly convergeWithinMs: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}
