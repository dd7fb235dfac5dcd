import type { ServiceIdentifier } from 'inversify';
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Application, ApplicationOptions, BackendPorts } from '../application/application.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { IdGenerator } from '../domain/ports/id-generator.port.js';
import type { Config } from './config.js';

/** A backend and how to let it go at shutdown. */
export interface Backend {
  readonly ports: BackendPorts;
  close(): Promise<void>;
}

export const TOKENS = {
  Config: Symbol.for('hzcqrs.Config') as ServiceIdentifier<Config>,
  Clock: Symbol.for('hzcqrs.Clock') as ServiceIdentifier<Clock>,
  IdGenerator: Symbol.for('hzcqrs.IdGenerator') as ServiceIdentifier<IdGenerator>,
  RootLogger: Symbol.for('hzcqrs.RootLogger') as ServiceIdentifier<PinoLogger>,
  Backend: Symbol.for('hzcqrs.Backend') as ServiceIdentifier<Backend>,
  ApplicationOptions: Symbol.for('hzcqrs.ApplicationOptions') as ServiceIdentifier<ApplicationOptions>,
  Application: Symbol.for('hzcqrs.Application') as ServiceIdentifier<Application>,
  HttpServer: Symbol.for('hzcqrs.HttpServer') as ServiceIdentifier<FastifyInstance>,
} as const;
