import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { BackendPorts } from '../application/ports/backend-ports.js';
import { factory, gather, singletons } from './construct.js';
import { PORTS, TOKENS } from './tokens.js';

const names = Object.keys(PORTS) as (keyof BackendPorts)[];

const bindPort = <K extends keyof BackendPorts>(bind: ContainerModuleLoadOptions['bind'], name: K): void => {
  bind<BackendPorts[K]>(PORTS[name])
    .toResolvedValue(...factory([TOKENS.Backend], (backend) => backend.ports[name]))
    .inSingletonScope();
};

/**
 * Each port of the chosen backend under its own token, and the set gathered back from those
 * tokens: a port put in place of the backend's one reaches every use case, whichever way it asks.
 */
export const portsModule = new ContainerModule(({ bind }) => {
  const singleton = singletons(bind);
  for (const name of names) bindPort(bind, name);
  singleton(TOKENS.BackendPorts, gather<BackendPorts>(PORTS));
});
