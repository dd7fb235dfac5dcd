import type { Persistence } from '../../tools/cluster.js';
import { pgSettings } from '../../tools/db.js';
import { RecordedEventsPostgres } from '../../src/adapters/hazelcast/recorded-events.postgres.js';

/**
 * The database the test members write through to: the PG* settings with a database of its own
 * (HZCQRS_TEST_PGDATABASE, default hzcqrs_test), so tests never touch the service's data.
 */
let sharedPool: ReturnType<typeof RecordedEventsPostgres.pool> | undefined;

/**
 * The log as the test members wrote it through, read by the service (ADR 0047), in one namespace.
 * Every namespace of a test process shares one pool: suites make hundreds of namespaces, and a
 * pool each would take more connections than PostgreSQL allows.
 */
export const testRecordedEvents = (namespace: string): RecordedEventsPostgres => {
  sharedPool ??= RecordedEventsPostgres.pool(testPersistence().settings);
  return RecordedEventsPostgres.sharing(sharedPool, namespace);
};

export const testPersistence = (): Persistence => ({
  settings: { ...pgSettings(), database: process.env['HZCQRS_TEST_PGDATABASE'] ?? 'hzcqrs_test' },
});
