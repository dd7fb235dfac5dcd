import { createMemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { defaultApplicationOptions } from '../../src/composition/defaults.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { composeTestApplication } from '../support/test-composition.js';
import type { CreateApplication } from './support/http-fixture.js';
import { httpSuites } from './suites/http-suites.js';

/** The HTTP suites over the embedded backend: short projection waits so that stopping is quick. */
const createApplication: CreateApplication = async ({ wrapPorts } = {}) => {
  const clock = new SystemClock();
  const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 10_000 });
  const defaults = defaultApplicationOptions('http-e2e');
  return composeTestApplication(backend, {
    ...(wrapPorts ? { ports: wrapPorts(backend) } : {}),
    clock,
    ids: new SequentialIds('srv'),
    options: { ...defaults, projections: { ...defaults.projections, readWaitMs: 50 } },
  });
};

httpSuites('memory', createApplication);
