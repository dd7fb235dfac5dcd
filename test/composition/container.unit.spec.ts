import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { silentLogger } from '../../src/application/ports/logger.port.js';
import { loadConfig } from '../../src/composition/config.js';
import { buildContainer } from '../../src/composition/container.js';
import { defaultApplicationOptions } from '../../src/composition/defaults.js';
import { replacing } from '../../src/composition/replacing.js';
import { PORTS, TOKENS } from '../../src/composition/tokens.js';
import type { EventEnvelope } from '../../src/domain/shared/event-envelope.js';
import { FixedClock } from '../support/fixed-clock.js';
import { SequentialIds } from '../support/sequential-ids.js';

const config = loadConfig({ LOG_LEVEL: 'silent' });

describe('the composition root (ADR 0041)', () => {
  it('resolves every token the service binds, once per container', async () => {
    const container = buildContainer(config);
    for (const token of [...Object.values(TOKENS), ...Object.values(PORTS)]) {
      const first = await container.getAsync(token);
      expect(first, String(token)).toBeDefined();
      expect(await container.getAsync(token), String(token)).toBe(first);
    }
    await (await container.getAsync(TOKENS.HttpServer)).close();
  });

  it('gives the façade the use cases bound under their own tokens', () => {
    const container = buildContainer(config);
    const application = container.get(TOKENS.Application);
    expect(application.accounts).toBe(container.get(TOKENS.AccountCommands));
    expect(application.transfers).toBe(container.get(TOKENS.TransferCommands));
    expect(application.processManager).toBe(container.get(TOKENS.TransferProcessManager));
    expect(application.accountQueries).toBe(container.get(TOKENS.AccountQueries));
    expect(application.transferQueries).toBe(container.get(TOKENS.TransferQueries));
    expect(application.idempotency).toBe(container.get(TOKENS.IdempotentRequests));
    expect(application.readModel).toBe(container.get(TOKENS.ReadModel));
    expect(application.currency).toBe(container.get(TOKENS.ReadModelCurrency));
    expect(application.dispatcher).toBe(container.get(TOKENS.ProjectionDispatcher));
    expect(application.reconciler).toBe(container.get(TOKENS.Reconciler));
    expect(application.runner).toBe(container.get(TOKENS.ProjectionRunner));
    expect(application.rebuilder).toBe(container.get(TOKENS.ProjectionRebuilder));
    expect(application.administration).toBe(container.get(TOKENS.Administration));
    expect(application.inspection).toBe(container.get(TOKENS.Inspection));
  });

  it('takes a replaced port everywhere the backend one would have gone, and leaves the other ports alone', async () => {
    const clock = new FixedClock();
    const backend = createMemoryBackend(clock, { shardCount: 2, bufferCapacity: 100 });
    const appended: EventEnvelope[] = [];
    const eventLog = new Proxy(backend.eventLog, {
      get: (target, property) => {
        if (property === 'append') {
          return (event: EventEnvelope) => {
            appended.push(event);
            return target.append(event);
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const container = buildContainer(
      config,
      replacing({ backend: { ports: backend, close: () => Promise.resolve() }, ports: { eventLog }, clock, ids: new SequentialIds('c-'), logger: silentLogger, options: defaultApplicationOptions('composed') }),
    );
    expect(container.get(PORTS.eventLog)).toBe(eventLog);
    expect(container.get(TOKENS.BackendPorts).eventLog).toBe(eventLog);
    expect(container.get(TOKENS.BackendPorts).accountViews).toBe(backend.accountViews);
    expect(container.get(TOKENS.Clock)).toBe(clock);

    const application = container.get(TOKENS.Application);
    await application.accounts.open({ owner: 'Ann', currency: 'KRW' });
    // The replaced clock and ids made it, and the replaced log took it.
    expect(appended.map((event) => [event.eventType, event.aggregateId, event.eventId, event.timestamp])).toEqual([
      ['AccountOpened', 'c-000000', 'c-000001', new Date(clock.now()).toISOString()],
    ]);
  });
});
