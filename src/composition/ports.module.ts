import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { BackendPorts } from '../application/ports/backend-ports.js';
import { PORTS, TOKENS, type Backend } from './tokens.js';

const names = Object.keys(PORTS) as (keyof BackendPorts)[];

const bindPort = <K extends keyof BackendPorts>(bind: ContainerModuleLoadOptions['bind'], name: K): void => {
  bind<BackendPorts[K]>(PORTS[name])
    .toResolvedValue((backend: Backend) => backend.ports[name], [TOKENS.Backend])
    .inSingletonScope();
};

/**
 * Each port of the chosen backend under its own token, and the set gathered back from those
 * tokens: a port put in place of the backend's one reaches every use case, whichever way it asks.
 */
export const portsModule = new ContainerModule(({ bind }) => {
  for (const name of names) bindPort(bind, name);
  bind(TOKENS.BackendPorts)
    .toResolvedValue(
      (...ports: unknown[]) => Object.fromEntries(names.map((name, i) => [name, ports[i]])) as unknown as BackendPorts,
      names.map((name) => PORTS[name]),
    )
    .inSingletonScope();
});
