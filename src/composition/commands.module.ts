import { ContainerModule } from 'inversify';
import type { ApplicationOptions } from '../application/application.js';
import { AccountCommands } from '../application/commands/account-commands.js';
import { TransferCommands } from '../application/commands/transfer-commands.js';
import { TransferProcessManager } from '../application/commands/transfer-process-manager.js';
import { IdempotentRequests } from '../application/idempotency/idempotent-requests.js';
import type { IdempotencyStore } from '../application/ports/idempotency-store.port.js';
import type { Logger } from '../application/ports/logger.port.js';
import { AggregateRepository } from '../application/shared/aggregate-repository.js';
import { CommandExecutor } from '../application/shared/command-executor.js';
import { EventFactory } from '../application/shared/event-factory.js';
import { accountDecider, type AccountState } from '../domain/account/account.js';
import type { AccountEvent } from '../domain/account/account.events.js';
import type { BackendStatus } from '../domain/ports/backend-status.port.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { EventPublisher } from '../domain/ports/event-bus.port.js';
import type { EventLog } from '../domain/ports/event-log.port.js';
import type { IdGenerator } from '../domain/ports/id-generator.port.js';
import type { SnapshotStore } from '../domain/ports/snapshot-store.port.js';
import type { TransferSnapshots } from '../domain/ports/transfer-snapshots.port.js';
import { transferDecider, type TransferState } from '../domain/transfer/transfer.js';
import type { TransferEvent } from '../domain/transfer/transfer.events.js';
import { PORTS, TOKENS, type Pause } from './tokens.js';

type AccountRepository = AggregateRepository<AccountState, AccountEvent>;
type TransferRepository = AggregateRepository<TransferState, TransferEvent>;

/** The write side: events made, appended and published, the aggregates' repositories and the commands. */
export const commandsModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.EventFactory)
    .toResolvedValue((clock: Clock, ids: IdGenerator) => new EventFactory(clock, ids), [TOKENS.Clock, TOKENS.IdGenerator])
    .inSingletonScope();
  bind(TOKENS.CommandExecutor)
    .toResolvedValue(
      (
        log: EventLog,
        publisher: EventPublisher,
        factory: EventFactory,
        clock: Clock,
        options: ApplicationOptions,
        pause: Pause,
        logger: Logger,
        status: BackendStatus,
      ) => new CommandExecutor(log, publisher, factory, clock, options.commandRetry, pause, logger, status),
      [PORTS.eventLog, PORTS.publisher, TOKENS.EventFactory, TOKENS.Clock, TOKENS.ApplicationOptions, TOKENS.Pause, TOKENS.Logger, PORTS.status],
    )
    .inSingletonScope();
  bind(TOKENS.AccountRepository)
    .toResolvedValue(
      (log: EventLog, snapshots: SnapshotStore<AccountState>, options: ApplicationOptions): AccountRepository =>
        new AggregateRepository('account', log, snapshots, accountDecider, options.accountSnapshotEvery),
      [PORTS.eventLog, PORTS.accountSnapshots, TOKENS.ApplicationOptions],
    )
    .inSingletonScope();
  bind(TOKENS.TransferRepository)
    .toResolvedValue(
      (log: EventLog, snapshots: TransferSnapshots): TransferRepository => new AggregateRepository('transfer', log, snapshots, transferDecider),
      [PORTS.eventLog, PORTS.transferSnapshots],
    )
    .inSingletonScope();
  bind(TOKENS.TransferProcessManager)
    .toResolvedValue(
      (executor: CommandExecutor, transfers: TransferRepository, accounts: AccountRepository, log: EventLog, logger: Logger) =>
        new TransferProcessManager(executor, transfers, accounts, log, logger),
      [TOKENS.CommandExecutor, TOKENS.TransferRepository, TOKENS.AccountRepository, PORTS.eventLog, TOKENS.Logger],
    )
    .inSingletonScope();
  bind(TOKENS.AccountCommands)
    .toResolvedValue(
      (executor: CommandExecutor, accounts: AccountRepository, transfers: TransferSnapshots, ids: IdGenerator) =>
        new AccountCommands(executor, accounts, transfers, ids),
      [TOKENS.CommandExecutor, TOKENS.AccountRepository, PORTS.transferSnapshots, TOKENS.IdGenerator],
    )
    .inSingletonScope();
  bind(TOKENS.TransferCommands)
    .toResolvedValue(
      (executor: CommandExecutor, transfers: TransferRepository, accounts: AccountRepository, processManager: TransferProcessManager, ids: IdGenerator) =>
        new TransferCommands(executor, transfers, accounts, processManager, ids),
      [TOKENS.CommandExecutor, TOKENS.TransferRepository, TOKENS.AccountRepository, TOKENS.TransferProcessManager, TOKENS.IdGenerator],
    )
    .inSingletonScope();
  bind(TOKENS.IdempotentRequests)
    .toResolvedValue(
      (store: IdempotencyStore, clock: Clock, options: ApplicationOptions, log: EventLog) => new IdempotentRequests(store, clock, options.idempotency, log),
      [PORTS.idempotency, TOKENS.Clock, TOKENS.ApplicationOptions, PORTS.eventLog],
    )
    .inSingletonScope();
});
