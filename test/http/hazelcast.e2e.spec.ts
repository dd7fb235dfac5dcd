import { afterAll, beforeAll } from 'vitest';
import { Application } from '../../src/application/application.js';
import { silentLogger } from '../../src/application/ports/logger.port.js';
import { hazelcastPorts } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { openTestConnection, uniqueNamespace } from '../support/hazelcast-app.js';
import { testApplicationOptions } from '../support/memory-app.js';
import { SequentialIds } from '../support/sequential-ids.js';
import type { CreateApplication } from './support/http-fixture.js';
import { httpSuites } from './suites/http-suites.js';

/** The same HTTP suites over a real member: one client, a fresh namespace for every application. */
let connection: HazelcastConnection;

beforeAll(async () => {
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection?.close();
});

const createApplication: CreateApplication = async ({ wrapPorts } = {}) => {
  const clock = new SystemClock();
  const ports = await hazelcastPorts(connection, clock, { namespace: uniqueNamespace('http'), shardCount: 4 });
  return new Application(wrapPorts ? wrapPorts(ports) : ports, clock, new SequentialIds('srv'), silentLogger, {
    ...testApplicationOptions(),
    projections: { ...testApplicationOptions().projections, readWaitMs: 50 },
  });
};

httpSuites('hazelcast', createApplication);
