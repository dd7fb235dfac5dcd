import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { ApplicationOptions, BackendPorts } from '../application/application.js';
import type { Logger } from '../application/ports/logger.port.js';
import type { Clock } from '../domain/ports/clock.port.js';
import type { IdGenerator } from '../domain/ports/id-generator.port.js';
import { PORTS, TOKENS, type Backend, type Pause } from './tokens.js';

/** What a test or a tool puts in place of the service's bindings; what it leaves out stays as the service has it. */
export interface Replacements {
  /** The whole adapter set: every port comes from it unless `ports` replaces one. */
  readonly backend?: Backend;
  /** Single ports (a faulty event bus, a log that dies), in place of the backend's own. */
  readonly ports?: Partial<BackendPorts>;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly logger?: Logger;
  readonly pause?: Pause;
  readonly options?: ApplicationOptions;
}

const rebindPort = <K extends keyof BackendPorts>(rebindSync: ContainerModuleLoadOptions['rebindSync'], name: K, port: BackendPorts[K] | undefined): void => {
  if (port !== undefined) rebindSync<BackendPorts[K]>(PORTS[name]).toConstantValue(port);
};

/** A module that rebinds what it is given; loaded after the service's modules (buildContainer). */
export const replacing = (replacements: Replacements): ContainerModule =>
  new ContainerModule(({ rebindSync }) => {
    const { backend, ports = {}, clock, ids, logger, pause, options } = replacements;
    if (backend) rebindSync(TOKENS.Backend).toConstantValue(backend);
    if (clock) rebindSync(TOKENS.Clock).toConstantValue(clock);
    if (ids) rebindSync(TOKENS.IdGenerator).toConstantValue(ids);
    if (logger) rebindSync(TOKENS.Logger).toConstantValue(logger);
    if (pause) rebindSync(TOKENS.Pause).toConstantValue(pause);
    if (options) rebindSync(TOKENS.ApplicationOptions).toConstantValue(options);
    for (const name of Object.keys(ports) as (keyof BackendPorts)[]) rebindPort(rebindSync, name, ports[name]);
  });
