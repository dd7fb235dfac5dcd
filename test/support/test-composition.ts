import type { Application, ApplicationOptions, BackendPorts } from '../../src/application/application.js';
import { silentLogger } from '../../src/application/ports/logger.port.js';
import { loadConfig } from '../../src/composition/config.js';
import { composeApplication } from '../../src/composition/container.js';
import { defaultApplicationOptions } from '../../src/composition/defaults.js';
import { replacing, type Replacements } from '../../src/composition/replacing.js';

/** The service's configuration for tests: the backend a test composes over replaces the memory one. */
const TEST_CONFIG = loadConfig({ LOG_LEVEL: 'silent', EVENT_SHARDS: '4' });

/** The service's tuning with short waits, so that stopping is quick. */
export const testApplicationOptions = (): ApplicationOptions => {
  const defaults = defaultApplicationOptions('test-owner');
  return { ...defaults, projections: { ...defaults.projections, readWaitMs: 20 } };
};

/** What a test replaces; the backend's ports are the test's to open and to close. */
export type TestReplacements = Omit<Replacements, 'backend'>;

/**
 * The application as the service wires it, over ports a test holds, with a silent logger and the
 * test tuning unless the test says otherwise.
 */
export const composeTestApplication = (ports: BackendPorts, replacements: TestReplacements = {}): Application =>
  composeApplication(
    TEST_CONFIG,
    replacing({ logger: silentLogger, options: testApplicationOptions(), ...replacements, backend: { ports, close: () => Promise.resolve() } }),
  );
