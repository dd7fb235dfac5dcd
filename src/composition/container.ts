import { Container, type ContainerModule } from 'inversify';
import type { Application } from '../application/application.js';
import type { Config } from './config.js';
import { applicationModule } from './application.module.js';
import { commandsModule } from './commands.module.js';
import { hazelcastModule } from './hazelcast.module.js';
import { httpModule } from './http.module.js';
import { memoryModule } from './memory.module.js';
import { portsModule } from './ports.module.js';
import { readSideModule } from './read-side.module.js';
import { systemModule } from './system.module.js';
import { TOKENS } from './tokens.js';

/** The modules the service runs with, in the order they are loaded. */
export const serviceModules = (config: Config): ContainerModule[] => [
  systemModule(config),
  config.backend === 'hazelcast' ? hazelcastModule : memoryModule,
  portsModule,
  commandsModule,
  readSideModule,
  applicationModule,
  httpModule,
];

/**
 * The composition root: the one place that chooses adapters and wires them. The service, its
 * tests and its tools all build their object graph here; a test or a tool passes modules that
 * rebind what it replaces (see replacing), loaded after the service's own.
 */
export const buildContainer = (config: Config, ...overrides: ContainerModule[]): Container => {
  const container = new Container();
  container.loadSync(...serviceModules(config), ...overrides);
  return container;
};

/**
 * The application of such a container, for a test or a tool that needs no other part. Resolved
 * at once: the backend must be one that needs no connecting (the memory one, or one replaced).
 */
export const composeApplication = (config: Config, ...overrides: ContainerModule[]): Application =>
  buildContainer(config, ...overrides).get(TOKENS.Application);
