import type { Persistence } from '../../tools/cluster.js';
import { pgSettings } from '../../tools/db.js';

/**
 * The database the test members write through to: the PG* settings with a database of its own
 * (HZCQRS_TEST_PGDATABASE, default hzcqrs_test), so tests never touch the service's data.
 */
export const testPersistence = (): Persistence => ({
  settings: { ...pgSettings(), database: process.env['HZCQRS_TEST_PGDATABASE'] ?? 'hzcqrs_test' },
});
