import { accountDecider, type AccountState } from '../domain/account/account.js';
import type { AccountEvent } from '../domain/account/account.events.js';
import { transferDecider, type TransferState } from '../domain/transfer/transfer.js';
import type { TransferEvent } from '../domain/transfer/transfer.events.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { IdGenerator } from '../domain/ports/id-generator.port.js';
import { AccountCommands } from './commands/account-commands.js';
import { TransferCommands } from './commands/transfer-commands.js';
import { TransferProcessManager } from './commands/transfer-process-manager.js';
import { IdempotentRequests, type IdempotencyOptions } from './idempotency/idempotent-requests.js';
import { ProjectionDispatcher } from './projections/projection-dispatcher.js';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projections/projection-runner.js';
import { Reconciler, type ReconcilerOptions } from './projections/reconciler.js';
import { ReadModel } from './read-model/read-model.js';
import { ReadModelCurrency } from './read-model/read-model-currency.js';
import { ProjectionRebuilder } from './read-model/projection-rebuilder.js';
import { AccountQueries } from './queries/account-queries.js';
import { TransferQueries } from './queries/transfer-queries.js';
import { AggregateRepository } from './shared/aggregate-repository.js';
import { CommandExecutor, type CommandStatistics, type RetryPolicy } from './shared/command-executor.js';
import { EventFactory } from './shared/event-factory.js';
import type { Logger } from './ports/logger.port.js';
import { Administration } from './administration.js';
import { Inspection } from './inspection.js';
import type { BackendPorts } from './ports/backend-ports.js';

export type { BackendPorts } from './ports/backend-ports.js';

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

/** The use cases and the background work (projections, reconciliation) over one set of ports. */
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
  readonly rebuilder: ProjectionRebuilder;
  /** What this process's commands did: appends, conflicts with other processes, waits behind each other. */
  readonly commandStatistics: () => CommandStatistics;

  constructor(
    private readonly ports: BackendPorts,
    clock: Clock,
    ids: IdGenerator,
    private readonly logger: Logger,
    private readonly options: ApplicationOptions,
    pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    const factory = new EventFactory(clock, ids);
    const executor = new CommandExecutor(ports.eventLog, ports.publisher, factory, clock, options.commandRetry, pause, logger, ports.status);
    this.commandStatistics = () => executor.statistics();
    const accountRepository = new AggregateRepository<AccountState, AccountEvent>(
      'account',
      ports.eventLog,
      ports.accountSnapshots,
      accountDecider,
      options.accountSnapshotEvery,
    );
    const transferRepository = new AggregateRepository<TransferState, TransferEvent>(
      'transfer',
      ports.eventLog,
      ports.transferSnapshots,
      transferDecider,
    );
    this.processManager = new TransferProcessManager(executor, transferRepository, accountRepository, ports.eventLog, logger);
    this.accounts = new AccountCommands(executor, accountRepository, ports.transferSnapshots, ids);
    this.transfers = new TransferCommands(executor, transferRepository, accountRepository, this.processManager, ids);
    this.readModel = new ReadModel(ports, logger);
    // The generation a process reads may be one the cluster forgot in a full restart.
    this.currency = new ReadModelCurrency(ports.checkpoints, ports.eventLog, ports.status, clock, () => this.readModel.resync());
    this.accountQueries = new AccountQueries(this.readModel.accountViews, this.readModel.transactionHistory, ports.eventLog, this.currency);
    this.transferQueries = new TransferQueries(this.readModel.transferViews, ports.eventLog, this.currency);
    this.idempotency = new IdempotentRequests(ports.idempotency, clock, options.idempotency, ports.eventLog);
    this.dispatcher = new ProjectionDispatcher(
      ports.eventLog,
      this.readModel.projections(),
      ports.parked,
      clock,
      logger,
    );
    this.reconciler = new Reconciler(
      ports.eventLog,
      this.dispatcher,
      ports.transferSnapshots,
      this.processManager,
      ports.checkpoints,
      ports.leases,
      clock,
      logger,
      { ...options.reconciler, ownerId: options.ownerId, shardCount: ports.feed.shardCount },
      ports.status,
      () => this.readModel.resync(),
    );
    this.runner = new ProjectionRunner(ports.feed, ports.checkpoints, ports.leases, this.dispatcher, this.reconciler, clock, logger, {
      ...options.projections,
      ownerId: options.ownerId,
    });
    this.rebuilder = new ProjectionRebuilder(ports.eventLog, this.dispatcher, this.readModel, ports.generations, clock, logger, {
      windowLimit: options.reconciler.windowLimit,
      overlapMs: options.reconciler.overlapMs,
    });
    this.administration = new Administration(this.runner, this.dispatcher, ports.parked, this.rebuilder);
    this.inspection = new Inspection(ports, this.runner, this.dispatcher, this.rebuilder, this.readModel, clock, options.ownerId);
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
  }

  /** Stops background work after what is in hand has finished. */
  async stop(): Promise<void> {
    await this.processManager.drain();
    await this.rebuilder.drain();
    this.readModel.stop();
    this.currency.stop();
    await this.reconciler.stop();
    await this.runner.stop();
    this.accountQueries.close();
  }

  readiness(): Readiness {
    const missing: string[] = [];
    const backend = this.ports.status.check();
    if (!backend.connected) missing.push(`backend: ${backend.detail ?? 'not connected'}`);
    // Without the backend nothing is known of the views: the line above says why.
    else if (!this.currency.known) missing.push('read model: not known current (replaying the log)');
    if (this.options.runProjections && !this.runner.running) missing.push('projections: not running');
    if (!this.readModel.isSynced) missing.push('read model: not yet following the active generations');
    return { ready: missing.length === 0, missing };
  }
}
