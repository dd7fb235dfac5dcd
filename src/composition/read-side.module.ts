import { ContainerModule } from 'inversify';
import { ProjectionDispatcher } from '../application/projections/projection-dispatcher.js';
import { ProjectionRunner } from '../application/projections/projection-runner.js';
import { Reconciler } from '../application/projections/reconciler.js';
import { AccountQueries } from '../application/queries/account-queries.js';
import { TransferQueries } from '../application/queries/transfer-queries.js';
import { ProjectionRebuilder } from '../application/read-model/projection-rebuilder.js';
import { ReadModelCurrency } from '../application/read-model/read-model-currency.js';
import { ReadModel } from '../application/read-model/read-model.js';
import { HeldViews } from '../application/read-model/held-views.js';
import { construct, factory, singletons } from './construct.js';
import { PORTS, TOKENS } from './tokens.js';

/** The read side: the read model and its currency, the queries, and the projections that keep the views. */
export const readSideModule = new ContainerModule(({ bind }) => {
  const singleton = singletons(bind);
  singleton(TOKENS.ReadModel, construct(ReadModel, [TOKENS.BackendPorts, TOKENS.Logger]));
  // The generation a process reads may be one the cluster forgot in a full restart.
  singleton(
    TOKENS.ReadModelCurrency,
    factory(
      [PORTS.checkpoints, PORTS.eventLog, PORTS.status, TOKENS.Clock, TOKENS.ReadModel],
      (checkpoints, log, status, clock, readModel) => new ReadModelCurrency(checkpoints, log, status, clock, () => readModel.resync()),
    ),
  );
  // Every account view held where the list query sees it (ADR 0054).
  singleton(
    TOKENS.HeldViews,
    factory(
      [PORTS.eventLog, TOKENS.ReadModel, PORTS.checkpoints, PORTS.status, TOKENS.Clock, TOKENS.Logger],
      (log, readModel, checkpoints, status, clock, logger) => new HeldViews(log, readModel.accountViews, checkpoints, status, clock, logger),
    ),
  );
  singleton(
    TOKENS.AccountQueries,
    factory(
      [TOKENS.ReadModel, PORTS.eventLog, TOKENS.ReadModelCurrency, TOKENS.HeldViews],
      (readModel, log, currency, held) => new AccountQueries(readModel.accountViews, readModel.transactionHistory, log, currency, held),
    ),
  );
  singleton(
    TOKENS.TransferQueries,
    factory(
      [TOKENS.ReadModel, PORTS.eventLog, TOKENS.ReadModelCurrency],
      (readModel, log, currency) => new TransferQueries(readModel.transferViews, log, currency),
    ),
  );
  singleton(
    TOKENS.ProjectionDispatcher,
    factory(
      [PORTS.eventLog, TOKENS.ReadModel, PORTS.parked, TOKENS.Clock, TOKENS.Logger],
      (log, readModel, parked, clock, logger) => new ProjectionDispatcher(log, readModel.projections(), parked, clock, logger),
    ),
  );
  singleton(
    TOKENS.Reconciler,
    factory(
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
        PORTS.persistedWatermark,
        TOKENS.ReadModel,
      ],
      (log, dispatcher, transfers, processManager, checkpoints, leases, clock, logger, options, feed, status, persisted, readModel) =>
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
          persisted,
          () => readModel.resync(),
        ),
    ),
  );
  singleton(
    TOKENS.ProjectionRunner,
    factory(
      [PORTS.feed, PORTS.checkpoints, PORTS.leases, TOKENS.ProjectionDispatcher, TOKENS.Reconciler, TOKENS.Clock, TOKENS.Logger, TOKENS.ApplicationOptions],
      (feed, checkpoints, leases, dispatcher, reconciler, clock, logger, options) =>
        new ProjectionRunner(feed, checkpoints, leases, dispatcher, reconciler, clock, logger, { ...options.projections, ownerId: options.ownerId }),
    ),
  );
  singleton(
    TOKENS.ProjectionRebuilder,
    factory(
      [PORTS.eventLog, TOKENS.ProjectionDispatcher, TOKENS.ReadModel, PORTS.generations, TOKENS.Clock, TOKENS.Logger, TOKENS.ApplicationOptions],
      (log, dispatcher, readModel, generations, clock, logger, options) =>
        new ProjectionRebuilder(log, dispatcher, readModel, generations, clock, logger, {
          windowLimit: options.reconciler.windowLimit,
          overlapMs: options.reconciler.overlapMs,
        }),
    ),
  );
});
