import type { Application, ApplicationOptions, BackendPorts } from '../../src/application/application.js';
import { createMemoryBackend, type MemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { FaultyEventBus, type FaultRates } from '../../src/adapters/faulty/faulty-event-bus.js';
import type { Clock } from '../../src/domain/ports/clock.port.js';
import { FixedClock } from './fixed-clock.js';
import { SequentialIds } from './sequential-ids.js';
import { composeTestApplication, testApplicationOptions } from './test-composition.js';

export { testApplicationOptions } from './test-composition.js';

export interface MemoryAppOptions {
  readonly clock?: Clock;
  readonly shardCount?: number;
  readonly bufferCapacity?: number;
  readonly faults?: { readonly rates: FaultRates; readonly random: () => number };
  readonly overrides?: (ports: BackendPorts) => Partial<BackendPorts>;
  readonly applicationOptions?: Partial<ApplicationOptions>;
}

export interface MemoryApp {
  readonly app: Application;
  readonly backend: MemoryBackend;
  readonly clock: Clock;
  readonly faulty?: FaultyEventBus;
}

/** An application over the memory backend, tuned for tests: short waits, no real time needed. */
export const createMemoryApp = (options: MemoryAppOptions = {}): MemoryApp => {
  const clock = options.clock ?? new FixedClock();
  const backend = createMemoryBackend(clock, { shardCount: options.shardCount ?? 4, bufferCapacity: options.bufferCapacity ?? 10_000 });
  const faulty = options.faults ? new FaultyEventBus(backend.bus, options.faults.rates, options.faults.random) : undefined;
  const ports: BackendPorts = { ...backend, ...(faulty ? { publisher: faulty } : {}) };
  const app = composeTestApplication(backend, {
    ports: { ...(faulty ? { publisher: faulty } : {}), ...options.overrides?.(ports) },
    clock,
    ids: new SequentialIds(),
    options: { ...testApplicationOptions(), ...options.applicationOptions },
    pause: () => Promise.resolve(),
  });
  return { app, backend, clock, ...(faulty ? { faulty } : {}) };
};
