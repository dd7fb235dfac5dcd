import type { BackendStatus } from '../domain/ports/backend-status.port.js';
import type { AccountCommands } from './commands/account-commands.js';
import type { TransferCommands } from './commands/transfer-commands.js';
import type { TransferProcessManager } from './commands/transfer-process-manager.js';
import type { IdempotentRequests, IdempotencyOptions } from './idempotency/idempotent-requests.js';
import type { ProjectionDispatcher } from './projections/projection-dispatcher.js';
import type { ProjectionRunner, ProjectionRunnerOptions } from './projections/projection-runner.js';
import type { Reconciler, ReconcilerOptions } from './projections/reconciler.js';
import type { ReadModel } from './read-model/read-model.js';
import type { ReadModelCurrency } from './read-model/read-model-currency.js';
import type { HeldViews } from './read-model/held-views.js';
import type { ProjectionRebuilder } from './read-model/projection-rebuilder.js';
import type { AccountQueries } from './queries/account-queries.js';
import type { TransferQueries } from './queries/transfer-queries.js';
import type { CommandExecutor, CommandStatistics, RetryPolicy } from './shared/command-executor.js';
import type { Logger } from './ports/logger.port.js';
import type { Administration } from './administration.js';
import type { Inspection } from './inspection.js';

export type { BackendPorts } from './ports/backend-ports.js';
// The façade is the application's driving port: the types of the use cases' answers that a driving
// adapter (HTTP) needs are exported from here; what they refuse with is in ./ports.
export type { CommandAccepted } from './commands/account-commands.js';
export type { Freshness } from './queries/account-queries.js';
export type { Admission, IdempotentRequests } from './idempotency/idempotent-requests.js';
export type { CommandStatistics } from './shared/command-executor.js';

export interface ApplicationOptions {
  readonly ownerId: string;
  /**
   * Whether this instance competes for projection leases and runs the reconciler. Off: it decides
   * commands and answers queries from the read model other instances keep (a query-serving
   * process of its own, so that saturating writes elsewhere do not queue its reads).
   */
  readonly runProjections: boolean;
  readonly commandRetry: RetryPolicy;
  /** An account's snapshot is saved once the stored one is this many versions behind (ADR 0028). */
  readonly accountSnapshotEvery: number;
  readonly projections: Omit<ProjectionRunnerOptions, 'ownerId'>;
  readonly reconciler: Omit<ReconcilerOptions, 'ownerId' | 'shardCount'>;
  readonly idempotency: IdempotencyOptions;
}

/** How often a process that does not know its read model current asks again (for `/ready`). */
const CURRENCY_CHECK_MS = 250;

export interface Readiness {
  readonly ready: boolean;
  readonly missing: readonly string[];
}

/**
 * The use cases and the background work (projections, reconciliation) over one set of ports, and
 * their life: start, stop, readiness. It builds nothing: src/composition wires what it is given.
 */
export class Application {
  readonly accounts: AccountCommands;
  readonly transfers: TransferCommands;
  readonly accountQueries: AccountQueries;
  readonly transferQueries: TransferQueries;
  readonly idempotency: IdempotentRequests;
  readonly administration: Administration;
  readonly inspection: Inspection;
  readonly processManager: TransferProcessManager;
  readonly runner: ProjectionRunner;
  readonly reconciler: Reconciler;
  readonly dispatcher: ProjectionDispatcher;
  readonly readModel: ReadModel;
  readonly currency: ReadModelCurrency;
  /** Whether every account view is held where the list query sees it (ADR 0054). */
  readonly heldViews: HeldViews;
  readonly rebuilder: ProjectionRebuilder;
  /** What this process's commands did: appends, conflicts with other processes, waits behind each other. */
  readonly commandStatistics: () => CommandStatistics;

  constructor(
    parts: ApplicationParts,
    private readonly status: BackendStatus,
    private readonly logger: Logger,
    private readonly options: Pick<ApplicationOptions, 'runProjections'>,
  ) {
    this.accounts = parts.accounts;
    this.transfers = parts.transfers;
    this.accountQueries = parts.accountQueries;
    this.transferQueries = parts.transferQueries;
    this.idempotency = parts.idempotency;
    this.administration = parts.administration;
    this.inspection = parts.inspection;
    this.processManager = parts.processManager;
    this.runner = parts.runner;
    this.reconciler = parts.reconciler;
    this.dispatcher = parts.dispatcher;
    this.readModel = parts.readModel;
    this.currency = parts.currency;
    this.heldViews = parts.heldViews;
    this.rebuilder = parts.rebuilder;
    this.commandStatistics = () => parts.executor.statistics();
  }

  /**
   * Starts projections and reconciliation; resolves once the read model follows the active
   * generations and this process has asked whether it is current (ADR 0030).
   */
  async start(): Promise<void> {
    const following = this.readModel.follow(this.dispatcher);
    if (this.options.runProjections) {
      this.runner.start();
      this.reconciler.start();
    }
    await following;
    await this.currency.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'read model currency not known yet'));
    this.currency.watch(CURRENCY_CHECK_MS);
    // In the background: single views answer meanwhile, read back one by one (ADR 0054).
    this.heldViews.start(CURRENCY_CHECK_MS);
  }

  /** Stops background work after what is in hand has finished. */
  async stop(): Promise<void> {
    await this.processManager.drain();
    await this.rebuilder.drain();
    this.readModel.stop();
    this.currency.stop();
    await this.heldViews.stop();
    await this.reconciler.stop();
    await this.runner.stop();
    this.accountQueries.close();
  }

  readiness(): Readiness {
    const missing: string[] = [];
    const backend = this.status.check();
    if (!backend.connected) missing.push(`backend: ${backend.detail ?? 'not connected'}`);
    // Without the backend nothing is known of the views: the line above says why.
    else if (!this.currency.known) missing.push('read model: not known current (replaying the log)');
    if (this.options.runProjections && !this.runner.running) missing.push('projections: not running');
    if (!this.readModel.isSynced) missing.push('read model: not yet following the active generations');
    return { ready: missing.length === 0, missing };
  }
}

/**
 * The use cases and the background work this façade holds, as the composition root builds them:
 * every part the façade exposes, and the executor whose statistics it reports.
 */
export type ApplicationParts = Omit<Application, 'commandStatistics' | 'start' | 'stop' | 'readiness'> & {
  readonly executor: CommandExecutor;
};
