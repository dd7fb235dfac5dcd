/** What the banking scenarios are given by the benchmark: how to start each system, and its settings. */
import type { Deployment } from '../deployments.js';

export interface BankingDeployments {
  /** The baseline on fresh tables, with one or two server processes taking commands alike. */
  baseline(key: string, processes: 1 | 2): Promise<Deployment>;
  /** hzcqrs in a fresh namespace; a second process runs with PROJECTIONS=off, as in the other scenarios. */
  hzcqrs(key: string, members: 1 | 3, processes: 1 | 2): Promise<Deployment>;
  /** Waits until the deployment's projections have caught up (returns at once for the baseline). */
  settle(d: Deployment): Promise<void>;
}

export interface BankingSettings {
  readonly full: boolean;
  /** Length of each timed run. */
  readonly seconds: number;
  /** Untimed load on a deployment's fresh servers before its first timed run. */
  readonly warmSeconds: number;
  readonly seed: number;
}

/** Every process of a deployment that takes commands: the command process, and the query process when there is one. */
export const urlsOf = (d: Deployment, processes: 1 | 2): string[] => (processes === 2 ? [d.commandUrl, d.queryUrl] : [d.commandUrl]);
