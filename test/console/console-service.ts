import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp, parseApiTokens } from '../../src/adapters/http/build-http-app.js';
import { createMemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import type { Application, BackendPorts } from '../../src/application/application.js';
import type { AccountViews } from '../../src/domain/ports/read-model.port.js';
import type { ReadModelGenerations } from '../../src/domain/ports/read-model-generations.port.js';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';
import { composeTestApplication, testApplicationOptions } from '../support/test-composition.js';
import { SequentialIds } from '../support/sequential-ids.js';

export const ADMIN_TOKEN = 'console-admin-token-0001';
export const CLIENT_TOKEN = 'console-client-token-0002';

/**
 * Holds a rebuild half way, so that a page polling once a second sees it running: once armed, a
 * write of views to a generation being built waits, as soon as the rebuild has reported some progress,
 * until the gate is released.
 */
export class RebuildGate {
  private armed = false;
  private opened: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  /** Whether the rebuild has replayed part of the log; set once the application exists. */
  progressed: () => boolean = () => false;

  arm(): void {
    this.armed = true;
    this.opened = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.armed = false;
    this.open();
  }

  async pass(): Promise<void> {
    if (this.armed && this.progressed()) await this.opened;
  }

  generations(inner: ReadModelGenerations): ReadModelGenerations {
    const gate = this;
    return new Proxy(inner, {
      get(target, property) {
        if (property === 'accounts') {
          return async (generation: number) => {
            const stores = await target.accounts(generation);
            return generation === 0 ? stores : { ...stores, accountViews: gate.views(stores.accountViews) };
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private views(inner: AccountViews): AccountViews {
    const gate = this;
    return new Proxy(inner, {
      get(target, property) {
        // The live path raises one view at a time; a rebuild writes a batch of folded streams.
        if (property === 'compareAndSet') {
          return async (...args: Parameters<AccountViews['compareAndSet']>) => {
            await gate.pass();
            return target.compareAndSet(...args);
          };
        }
        if (property === 'raiseAll') {
          return async (...args: Parameters<AccountViews['raiseAll']>) => {
            await gate.pass();
            return target.raiseAll(...args);
          };
        }
        if (property === 'overwriteAll') {
          return async (...args: Parameters<AccountViews['overwriteAll']>) => {
            await gate.pass();
            return target.overwriteAll(...args);
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

export interface ConsoleService {
  readonly base: string;
  readonly application: Application;
  readonly ports: BackendPorts;
  readonly gate: RebuildGate;
  stop(): Promise<void>;
}

/**
 * The service as it runs, listening on a free port with tokens on, over either backend. Rebuild
 * windows are small (5 events), so that a replay goes window by window and shows its progress.
 */
export const startConsoleService = async (backend: 'memory' | 'hazelcast'): Promise<ConsoleService> => {
  const gate = new RebuildGate();
  let ports!: BackendPorts;
  const wrap = (inner: BackendPorts): BackendPorts => {
    ports = { ...inner, generations: gate.generations(inner.generations) };
    return ports;
  };
  const defaults = testApplicationOptions();
  const options = { ...defaults, reconciler: { ...defaults.reconciler, windowLimit: 5 } };
  let application: Application;
  let close: () => Promise<void>;
  if (backend === 'memory') {
    const clock = new SystemClock();
    const memory = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 10_000 });
    application = composeTestApplication(memory, { ports: wrap(memory), clock, ids: new SequentialIds('console-'), options });
    close = () => application.stop();
  } else {
    const app = await createHazelcastApp(uniqueNamespace('console'), { ownerId: 'console-instance', overrides: (inner) => wrap(inner), applicationOptions: options });
    application = app.app;
    close = () => app.close();
  }
  gate.progressed = () => {
    const status = application.administration.rebuildStatus('accounts');
    return status?.state === 'running' && status.replayed > 0;
  };
  await application.start();
  const http: FastifyInstance = await buildHttpApp({
    application,
    apiTokens: parseApiTokens(`${ADMIN_TOKEN}:admin,${CLIENT_TOKEN}:read+write`),
    logger: false,
  });
  await http.listen({ port: 0, host: '127.0.0.1' });
  return {
    base: `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`,
    application,
    ports,
    gate,
    stop: async () => {
      gate.release();
      await http.close();
      await close();
    },
  };
};
