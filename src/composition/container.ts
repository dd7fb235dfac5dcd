import { Container } from 'inversify';
import type { Config } from './config.js';
import { applicationModule } from './application.module.js';
import { httpModule } from './http.module.js';
import { memoryModule } from './memory.module.js';
import { systemModule } from './system.module.js';
import { hazelcastModule } from './hazelcast.module.js';

/** The composition root: the one place that chooses adapters and wires them. */
export const buildContainer = async (config: Config): Promise<Container> => {
  const container = new Container();
  await container.load(
    systemModule(config),
    config.backend === 'hazelcast' ? hazelcastModule : memoryModule,
    applicationModule,
    httpModule,
  );
  return container;
};
