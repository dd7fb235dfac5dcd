import { Application } from '../../src/application/application.js';
import { silentLogger } from '../../src/application/ports/logger.port.js';
import { createMemoryBackend } from '../../src/adapters/memory/memory-backend.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { defaultApplicationOptions } from '../../src/composition/defaults.js';
import { SequentialIds } from '../support/sequential-ids.js';
import type { CreateApplication } from './support/http-fixture.js';
import { httpSuites } from './suites/http-suites.js';

/** The HTTP suites over the embedded backend: short projection waits so that stopping is quick. */
const createApplication: CreateApplication = async ({ wrapPorts } = {}) => {
  const clock = new SystemClock();
  const backend = createMemoryBackend(clock, { shardCount: 4, bufferCapacity: 10_000 });
  const defaults = defaultApplicationOptions('http-e2e');
  return new Application(wrapPorts ? wrapPorts(backend) : backend, clock, new SequentialIds('srv'), silentLogger, {
    ...defaults,
    projections: { ...defaults.projections, readWaitMs: 50 },
  });
};

httpSuites('memory', createApplication);
