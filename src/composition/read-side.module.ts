import { ContainerModule } from 'inversify';
import type { ApplicationOptions } from '../application/application.js';
import type { TransferProcessManager } from '../application/commands/transfer-process-manager.js';
import type { BackendPorts } from '../application/ports/backend-ports.js';
import type { Logger } from '../application/ports/logger.port.js';
import { ProjectionDispatcher } from '../application/projections/projection-dispatcher.js';
import { ProjectionRunner } from '../application/projections/projection-runner.js';
import { Reconciler } from '../application/projections/reconciler.js';
import { AccountQueries } from '../application/queries/account-queries.js';
import { TransferQueries } from '../application/queries/transfer-queries.js';
import { ProjectionRebuilder } from '../application/read-model/projection-rebuilder.js';
import { ReadModelCurrency } from '../application/read-model/read-model-currency.js';
import { ReadModel } from '../application/read-model/read-model.js';
import type { BackendStatus } from '../domain/ports/backend-status.port.js';
import type { Checkpoints } from '../domain/ports/checkpoints.port.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { EventFeed } from '../domain/ports/event-bus.port.js';
import type { EventLog } from '../domain/ports/event-log.port.js';
import type { ParkedAggregates } from '../domain/ports/parked-aggregates.port.js';
import type { ProjectionLeases } from '../domain/ports/projection-leases.port.js';
import type { ReadModelGenerations } from '../domain/ports/read-model-generations.port.js';
import type { TransferSnapshots } from '../domain/ports/transfer-snapshots.port.js';
import { PORTS, TOKENS } from './tokens.js';

/** The read side: the read model and its currency, the queries, and the projections that keep the views. */
export const readSideModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.ReadModel)
    .toResolvedValue((ports: BackendPorts, logger: Logger) => new ReadModel(ports, logger), [TOKENS.BackendPorts, TOKENS.Logger])
    .inSingletonScope();
  bind(TOKENS.ReadModelCurrency)
    .toResolvedValue(
      // The generation a process reads may be one the cluster forgot in a full restart.
      (checkpoints: Checkpoints, log: EventLog, status: BackendStatus, clock: Clock, readModel: ReadModel) =>
        new ReadModelCurrency(checkpoints, log, status, clock, () => readModel.resync()),
      [PORTS.checkpoints, PORTS.eventLog, PORTS.status, TOKENS.Clock, TOKENS.ReadModel],
    )
    .inSingletonScope();
  bind(TOKENS.AccountQueries)
    .toResolvedValue(
      (readModel: ReadModel, log: EventLog, currency: ReadModelCurrency) =>
        new AccountQueries(readModel.accountViews, readModel.transactionHistory, log, currency),
      [TOKENS.ReadModel, PORTS.eventLog, TOKENS.ReadModelCurrency],
    )
    .inSingletonScope();
  bind(TOKENS.TransferQueries)
    .toResolvedValue(
      (readModel: ReadModel, log: EventLog, currency: ReadModelCurrency) => new TransferQueries(readModel.transferViews, log, currency),
      [TOKENS.ReadModel, PORTS.eventLog, TOKENS.ReadModelCurrency],
    )
    .inSingletonScope();
  bind(TOKENS.ProjectionDispatcher)
    .toResolvedValue(
      (log: EventLog, readModel: ReadModel, parked: ParkedAggregates, clock: Clock, logger: Logger) =>
        new ProjectionDispatcher(log, readModel.projections(), parked, clock, logger),
      [PORTS.eventLog, TOKENS.ReadModel, PORTS.parked, TOKENS.Clock, TOKENS.Logger],
    )
    .inSingletonScope();
  bind(TOKENS.Reconciler)
    .toResolvedValue(
      (
        log: EventLog,
        dispatcher: ProjectionDispatcher,
        transfers: TransferSnapshots,
        processManager: TransferProcessManager,
        checkpoints: Checkpoints,
        leases: ProjectionLeases,
        clock: Clock,
        logger: Logger,
        options: ApplicationOptions,
        feed: EventFeed,
        status: BackendStatus,
        readModel: ReadModel,
      ) =>
        new Reconciler(
          log,
          dispatcher,
          transfers,
          processManager,
          checkpoints,
          leases,
          clock,
          logger,
          { ...options.reconciler, ownerId: options.ownerId, shardCount: feed.shardCount },
          status,
          () => readModel.resync(),
        ),
      [
        PORTS.eventLog,
        TOKENS.ProjectionDispatcher,
        PORTS.transferSnapshots,
        TOKENS.TransferProcessManager,
        PORTS.checkpoints,
        PORTS.leases,
        TOKENS.Clock,
        TOKENS.Logger,
        TOKENS.ApplicationOptions,
        PORTS.feed,
        PORTS.status,
        TOKENS.ReadModel,
      ],
    )
    .inSingletonScope();
  bind(TOKENS.ProjectionRunner)
    .toResolvedValue(
      (
        feed: EventFeed,
        checkpoints: Checkpoints,
        leases: ProjectionLeases,
        dispatcher: ProjectionDispatcher,
        reconciler: Reconciler,
        clock: Clock,
        logger: Logger,
        options: ApplicationOptions,
      ) => new ProjectionRunner(feed, checkpoints, leases, dispatcher, reconciler, clock, logger, { ...options.projections, ownerId: options.ownerId }),
      [PORTS.feed, PORTS.checkpoints, PORTS.leases, TOKENS.ProjectionDispatcher, TOKENS.Reconciler, TOKENS.Clock, TOKENS.Logger, TOKENS.ApplicationOptions],
    )
    .inSingletonScope();
  bind(TOKENS.ProjectionRebuilder)
    .toResolvedValue(
      (
        log: EventLog,
        dispatcher: ProjectionDispatcher,
        readModel: ReadModel,
        generations: ReadModelGenerations,
        clock: Clock,
        logger: Logger,
        options: ApplicationOptions,
      ) =>
        new ProjectionRebuilder(log, dispatcher, readModel, generations, clock, logger, {
          windowLimit: options.reconciler.windowLimit,
          overlapMs: options.reconciler.overlapMs,
        }),
      [PORTS.eventLog, TOKENS.ProjectionDispatcher, TOKENS.ReadModel, PORTS.generations, TOKENS.Clock, TOKENS.Logger, TOKENS.ApplicationOptions],
    )
    .inSingletonScope();
});
