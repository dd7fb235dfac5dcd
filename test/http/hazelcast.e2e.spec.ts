import { afterAll, beforeAll } from 'vitest';
import { hazelcastPorts } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { testRecordedEvents } from '../support/test-database.js';
import { openTestConnection, uniqueNamespace } from '../support/hazelcast-app.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { composeTestApplication, testApplicationOptions } from '../support/test-composition.js';
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
  const namespace = uniqueNamespace('http');
  const ports = await hazelcastPorts(connection, clock, { namespace, shardCount: 4, recorded: testRecordedEvents(namespace) });
  return composeTestApplication(ports, {
    ...(wrapPorts ? { ports: wrapPorts(ports) } : {}),
    clock,
    ids: new SequentialIds('srv'),
    options: { ...testApplicationOptions(), projections: { ...testApplicationOptions().projections, readWaitMs: 50 } },
  });
};

httpSuites('hazelcast', createApplication);
