import type { ServiceIdentifier } from 'inversify';
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Application, ApplicationOptions, ApplicationParts, BackendPorts } from '../application/application.js';
import type { Administration } from '../application/administration.js';
import type { AccountCommands } from '../application/commands/account-commands.js';
import type { TransferCommands } from '../application/commands/transfer-commands.js';
import type { TransferProcessManager } from '../application/commands/transfer-process-manager.js';
import type { IdempotentRequests } from '../application/idempotency/idempotent-requests.js';
import type { Inspection } from '../application/inspection.js';
import type { Logger } from '../application/ports/logger.port.js';
import type { ProjectionDispatcher } from '../application/projections/projection-dispatcher.js';
import type { ProjectionRunner } from '../application/projections/projection-runner.js';
import type { Reconciler } from '../application/projections/reconciler.js';
import type { AccountQueries } from '../application/queries/account-queries.js';
import type { TransferQueries } from '../application/queries/transfer-queries.js';
import type { ProjectionRebuilder } from '../application/read-model/projection-rebuilder.js';
import type { ReadModelCurrency } from '../application/read-model/read-model-currency.js';
import type { HeldViews } from '../application/read-model/held-views.js';
import type { ReadModel } from '../application/read-model/read-model.js';
import type { AggregateRepository } from '../application/shared/aggregate-repository.js';
import type { CommandExecutor } from '../application/shared/command-executor.js';
import type { EventFactory } from '../application/shared/event-factory.js';
import type { AccountState } from '../domain/account/account.js';
import type { AccountEvent } from '../domain/account/account.events.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { IdGenerator } from '../domain/ports/id-generator.port.js';
import type { TransferState } from '../domain/transfer/transfer.js';
import type { TransferEvent } from '../domain/transfer/transfer.events.js';
import type { Config } from './config.js';

/** A backend and how to let it go at shutdown. */
export interface Backend {
  readonly ports: BackendPorts;
  close(): Promise<void>;
}

/** How a command waits before it tries again; tests wait not at all. */
export type Pause = (ms: number) => Promise<void>;

declare const identifies: unique symbol;
/**
 * A service identifier that carries the type of what it identifies: a binding's dependencies are
 * then checked against the parameters of the constructor they are handed to (`construct`).
 */
export type Token<T> = ServiceIdentifier<T> & { readonly [identifies]?: T };

const token = <T>(name: string): Token<T> => Symbol.for(`hzcqrs.${name}`) as Token<T>;

/** One token per port of a backend, so that a test or a tool can put one adapter in place of another. */
export const PORTS: { readonly [K in keyof BackendPorts]-?: Token<BackendPorts[K]> } = {
  eventLog: token('port.EventLog'),
  accountSnapshots: token('port.AccountSnapshots'),
  transferSnapshots: token('port.TransferSnapshots'),
  publisher: token('port.EventPublisher'),
  feed: token('port.EventFeed'),
  checkpoints: token('port.Checkpoints'),
  leases: token('port.ProjectionLeases'),
  accountViews: token('port.AccountViews'),
  transactionHistory: token('port.TransactionHistory'),
  transferViews: token('port.TransferViews'),
  idempotency: token('port.IdempotencyStore'),
  parked: token('port.ParkedAggregates'),
  generations: token('port.ReadModelGenerations'),
  persistedWatermark: token('port.PersistedWatermark'),
  status: token('port.BackendStatus'),
  inspection: token('port.BackendInspection'),
};

export const TOKENS = {
  // What every backend shares.
  Config: token<Config>('Config'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  RootLogger: token<PinoLogger>('RootLogger'),
  Logger: token<Logger>('Logger'),
  Pause: token<Pause>('Pause'),
  ApplicationOptions: token<ApplicationOptions>('ApplicationOptions'),
  // The adapter set, and its ports gathered again from their own tokens.
  Backend: token<Backend>('Backend'),
  BackendPorts: token<BackendPorts>('BackendPorts'),
  // The write side.
  EventFactory: token<EventFactory>('EventFactory'),
  CommandExecutor: token<CommandExecutor>('CommandExecutor'),
  AccountRepository: token<AggregateRepository<AccountState, AccountEvent>>('AccountRepository'),
  TransferRepository: token<AggregateRepository<TransferState, TransferEvent>>('TransferRepository'),
  TransferProcessManager: token<TransferProcessManager>('TransferProcessManager'),
  AccountCommands: token<AccountCommands>('AccountCommands'),
  TransferCommands: token<TransferCommands>('TransferCommands'),
  IdempotentRequests: token<IdempotentRequests>('IdempotentRequests'),
  // The read side.
  ReadModel: token<ReadModel>('ReadModel'),
  ReadModelCurrency: token<ReadModelCurrency>('ReadModelCurrency'),
  HeldViews: token<HeldViews>('HeldViews'),
  AccountQueries: token<AccountQueries>('AccountQueries'),
  TransferQueries: token<TransferQueries>('TransferQueries'),
  ProjectionDispatcher: token<ProjectionDispatcher>('ProjectionDispatcher'),
  Reconciler: token<Reconciler>('Reconciler'),
  ProjectionRunner: token<ProjectionRunner>('ProjectionRunner'),
  ProjectionRebuilder: token<ProjectionRebuilder>('ProjectionRebuilder'),
  // Operating the service, the façade over it all, and its HTTP server.
  Administration: token<Administration>('Administration'),
  Inspection: token<Inspection>('Inspection'),
  ApplicationParts: token<ApplicationParts>('ApplicationParts'),
  Application: token<Application>('Application'),
  HttpServer: token<FastifyInstance>('HttpServer'),
} as const;
