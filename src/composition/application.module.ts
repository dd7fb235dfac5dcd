import { ContainerModule } from 'inversify';
import { Administration } from '../application/administration.js';
import { Application, type ApplicationOptions, type BackendPorts } from '../application/application.js';
import type { AccountCommands } from '../application/commands/account-commands.js';
import type { TransferCommands } from '../application/commands/transfer-commands.js';
import type { TransferProcessManager } from '../application/commands/transfer-process-manager.js';
import type { IdempotentRequests } from '../application/idempotency/idempotent-requests.js';
import { Inspection } from '../application/inspection.js';
import type { Logger } from '../application/ports/logger.port.js';
import type { ProjectionDispatcher } from '../application/projections/projection-dispatcher.js';
import type { ProjectionRunner } from '../application/projections/projection-runner.js';
import type { Reconciler } from '../application/projections/reconciler.js';
import type { AccountQueries } from '../application/queries/account-queries.js';
import type { TransferQueries } from '../application/queries/transfer-queries.js';
import type { ProjectionRebuilder } from '../application/read-model/projection-rebuilder.js';
import type { ReadModelCurrency } from '../application/read-model/read-model-currency.js';
import type { ReadModel } from '../application/read-model/read-model.js';
import type { CommandExecutor } from '../application/shared/command-executor.js';
import type { BackendStatus } from '../domain/ports/backend-status.port.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { ParkedAggregates } from '../domain/ports/parked-aggregates.port.js';
import { PORTS, TOKENS } from './tokens.js';

/** Operating the service (administration, inspection) and the façade that starts and stops it all. */
export const applicationModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Administration)
    .toResolvedValue(
      (runner: ProjectionRunner, dispatcher: ProjectionDispatcher, parked: ParkedAggregates, rebuilder: ProjectionRebuilder) =>
        new Administration(runner, dispatcher, parked, rebuilder),
      [TOKENS.ProjectionRunner, TOKENS.ProjectionDispatcher, PORTS.parked, TOKENS.ProjectionRebuilder],
    )
    .inSingletonScope();
  bind(TOKENS.Inspection)
    .toResolvedValue(
      (
        ports: BackendPorts,
        runner: ProjectionRunner,
        dispatcher: ProjectionDispatcher,
        rebuilder: ProjectionRebuilder,
        readModel: ReadModel,
        clock: Clock,
        options: ApplicationOptions,
      ) => new Inspection(ports, runner, dispatcher, rebuilder, readModel, clock, options.ownerId),
      [TOKENS.BackendPorts, TOKENS.ProjectionRunner, TOKENS.ProjectionDispatcher, TOKENS.ProjectionRebuilder, TOKENS.ReadModel, TOKENS.Clock, TOKENS.ApplicationOptions],
    )
    .inSingletonScope();
  bind(TOKENS.Application)
    .toResolvedValue(
      (
        accounts: AccountCommands,
        transfers: TransferCommands,
        accountQueries: AccountQueries,
        transferQueries: TransferQueries,
        idempotency: IdempotentRequests,
        administration: Administration,
        inspection: Inspection,
        processManager: TransferProcessManager,
        runner: ProjectionRunner,
        reconciler: Reconciler,
        dispatcher: ProjectionDispatcher,
        readModel: ReadModel,
        currency: ReadModelCurrency,
        rebuilder: ProjectionRebuilder,
        executor: CommandExecutor,
        status: BackendStatus,
        logger: Logger,
        options: ApplicationOptions,
      ) =>
        new Application(
          {
            accounts,
            transfers,
            accountQueries,
            transferQueries,
            idempotency,
            administration,
            inspection,
            processManager,
            runner,
            reconciler,
            dispatcher,
            readModel,
            currency,
            rebuilder,
            executor,
          },
          status,
          logger,
          options,
        ),
      [
        TOKENS.AccountCommands,
        TOKENS.TransferCommands,
        TOKENS.AccountQueries,
        TOKENS.TransferQueries,
        TOKENS.IdempotentRequests,
        TOKENS.Administration,
        TOKENS.Inspection,
        TOKENS.TransferProcessManager,
        TOKENS.ProjectionRunner,
        TOKENS.Reconciler,
        TOKENS.ProjectionDispatcher,
        TOKENS.ReadModel,
        TOKENS.ReadModelCurrency,
        TOKENS.ProjectionRebuilder,
        TOKENS.CommandExecutor,
        PORTS.status,
        TOKENS.Logger,
        TOKENS.ApplicationOptions,
      ],
    )
    .inSingletonScope();
});
