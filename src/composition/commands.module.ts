import { ContainerModule } from 'inversify';
import { AccountCommands } from '../application/commands/account-commands.js';
import { TransferCommands } from '../application/commands/transfer-commands.js';
import { TransferProcessManager } from '../application/commands/transfer-process-manager.js';
import { IdempotentRequests } from '../application/idempotency/idempotent-requests.js';
import { AggregateRepository } from '../application/shared/aggregate-repository.js';
import { CommandExecutor } from '../application/shared/command-executor.js';
import { EventFactory } from '../application/shared/event-factory.js';
import { accountDecider, type AccountState } from '../domain/account/account.js';
import type { AccountEvent } from '../domain/account/account.events.js';
import { transferDecider, type TransferState } from '../domain/transfer/transfer.js';
import type { TransferEvent } from '../domain/transfer/transfer.events.js';
import { construct, factory, singletons } from './construct.js';
import { PORTS, TOKENS } from './tokens.js';

type AccountRepository = AggregateRepository<AccountState, AccountEvent>;
type TransferRepository = AggregateRepository<TransferState, TransferEvent>;

/** The write side: events made, appended and published, the aggregates' repositories and the commands. */
export const commandsModule = new ContainerModule(({ bind }) => {
  const singleton = singletons(bind);
  singleton(TOKENS.EventFactory, construct(EventFactory, [TOKENS.Clock, TOKENS.IdGenerator]));
  singleton(
    TOKENS.CommandExecutor,
    factory(
      [PORTS.eventLog, PORTS.publisher, TOKENS.EventFactory, TOKENS.Clock, TOKENS.ApplicationOptions, TOKENS.Pause, TOKENS.Logger, PORTS.status],
      (log, publisher, events, clock, options, pause, logger, status) =>
        new CommandExecutor(log, publisher, events, clock, options.commandRetry, pause, logger, status),
    ),
  );
  singleton(
    TOKENS.AccountRepository,
    factory(
      [PORTS.eventLog, PORTS.accountSnapshots, TOKENS.ApplicationOptions],
      (log, snapshots, options): AccountRepository => new AggregateRepository('account', log, snapshots, accountDecider, options.accountSnapshotEvery),
    ),
  );
  singleton(
    TOKENS.TransferRepository,
    factory(
      [PORTS.eventLog, PORTS.transferSnapshots],
      (log, snapshots): TransferRepository => new AggregateRepository('transfer', log, snapshots, transferDecider),
    ),
  );
  singleton(
    TOKENS.TransferProcessManager,
    construct(TransferProcessManager, [TOKENS.CommandExecutor, TOKENS.TransferRepository, TOKENS.AccountRepository, PORTS.eventLog, TOKENS.Logger]),
  );
  singleton(
    TOKENS.AccountCommands,
    construct(AccountCommands, [TOKENS.CommandExecutor, TOKENS.AccountRepository, PORTS.transferSnapshots, TOKENS.IdGenerator]),
  );
  singleton(
    TOKENS.TransferCommands,
    construct(TransferCommands, [TOKENS.TransferProcessManager, TOKENS.IdGenerator]),
  );
  singleton(
    TOKENS.IdempotentRequests,
    factory(
      [PORTS.idempotency, TOKENS.Clock, TOKENS.ApplicationOptions, PORTS.eventLog],
      (store, clock, options, log) => new IdempotentRequests(store, clock, options.idempotency, log),
    ),
  );
});
