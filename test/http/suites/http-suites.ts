import type { CreateApplication } from '../support/http-fixture.js';
import { accountCommandSuite } from './account-commands.suite.js';
import { adminSuite } from './admin.suite.js';
import { authSuite } from './auth.suite.js';
import { concurrencySuite } from './concurrency.suite.js';
import { consoleSuite } from './console.suite.js';
import { idempotencySuite } from './idempotency.suite.js';
import { operationsSuite } from './operations.suite.js';
import { problemCatalogSuite } from './problem-catalog.suite.js';
import { protocolSuite } from './protocol.suite.js';
import { querySuite } from './queries.suite.js';
import { transferSuite } from './transfers.suite.js';

/** Every HTTP contract suite, for one backend. */
export const httpSuites = (backend: string, createApplication: CreateApplication): void => {
  accountCommandSuite(backend, createApplication);
  protocolSuite(backend, createApplication);
  querySuite(backend, createApplication);
  transferSuite(backend, createApplication);
  idempotencySuite(backend, createApplication);
  authSuite(backend, createApplication);
  operationsSuite(backend, createApplication);
  adminSuite(backend, createApplication);
  consoleSuite(backend, createApplication);
  concurrencySuite(backend, createApplication);
  problemCatalogSuite(backend, createApplication);
};
