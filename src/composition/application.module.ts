import { ContainerModule } from 'inversify';
import { Administration } from '../application/administration.js';
import { Application, type ApplicationParts } from '../application/application.js';
import { Inspection } from '../application/inspection.js';
import { construct, factory, gather, singletons } from './construct.js';
import { PORTS, TOKENS } from './tokens.js';

/** Operating the service (administration, inspection) and the façade that starts and stops it all. */
export const applicationModule = new ContainerModule(({ bind }) => {
  const singleton = singletons(bind);
  singleton(TOKENS.Administration, construct(Administration, [TOKENS.ProjectionRunner, TOKENS.ProjectionDispatcher, PORTS.parked, TOKENS.ProjectionRebuilder]));
  singleton(
    TOKENS.Inspection,
    factory(
      [
        TOKENS.BackendPorts,
        TOKENS.ProjectionRunner,
        TOKENS.ProjectionDispatcher,
        TOKENS.ProjectionRebuilder,
        TOKENS.ReadModel,
        TOKENS.Clock,
        TOKENS.ApplicationOptions,
      ],
      (ports, runner, dispatcher, rebuilder, readModel, clock, options) =>
        new Inspection(ports, runner, dispatcher, rebuilder, readModel, clock, options.ownerId),
    ),
  );
  singleton(
    TOKENS.ApplicationParts,
    gather<ApplicationParts>({
      accounts: TOKENS.AccountCommands,
      transfers: TOKENS.TransferCommands,
      accountQueries: TOKENS.AccountQueries,
      transferQueries: TOKENS.TransferQueries,
      idempotency: TOKENS.IdempotentRequests,
      administration: TOKENS.Administration,
      inspection: TOKENS.Inspection,
      processManager: TOKENS.TransferProcessManager,
      runner: TOKENS.ProjectionRunner,
      reconciler: TOKENS.Reconciler,
      dispatcher: TOKENS.ProjectionDispatcher,
      readModel: TOKENS.ReadModel,
      currency: TOKENS.ReadModelCurrency,
      heldViews: TOKENS.HeldViews,
      rebuilder: TOKENS.ProjectionRebuilder,
      executor: TOKENS.CommandExecutor,
    }),
  );
  singleton(TOKENS.Application, construct(Application, [TOKENS.ApplicationParts, PORTS.status, TOKENS.Logger, TOKENS.ApplicationOptions]));
});
