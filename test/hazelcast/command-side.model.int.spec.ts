import { afterAll, beforeAll } from 'vitest';
import { hazelcastPorts } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import { HazelcastConnection } from '../../src/adapters/hazelcast/hazelcast-connection.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { commandSideSuite } from '../application/command-side.model.js';
import { testRecordedEvents } from '../support/test-database.js';
import { openTestConnection, uniqueNamespace } from '../support/hazelcast-app.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { composeTestApplication } from '../support/test-composition.js';

/** The model-based test of the command side, unchanged, against a real member: a namespace per run. */
let connection: HazelcastConnection;

beforeAll(async () => {
  connection = await openTestConnection();
});

afterAll(async () => {
  await connection?.close();
});

commandSideSuite(
  'hazelcast',
  async () => {
    const clock = new SystemClock();
    const namespace = uniqueNamespace('model');
    const backend = await hazelcastPorts(connection, clock, { namespace, shardCount: 4, recorded: testRecordedEvents(namespace) });
    const app = composeTestApplication(backend, { clock, ids: new SequentialIds('model-') });
    return { app, backend, close: () => app.stop() };
  },
  15,
);
