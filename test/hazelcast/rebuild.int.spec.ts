import { describe, it } from 'vitest';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';
import { rebuildUnderLoad } from '../support/rebuild-scenario.js';

describe('rebuilding a projection (Hazelcast)', () => {
  it('replays the log into a fresh generation under query load and switches to it', async () => {
    const { app, backend, close } = await createHazelcastApp(uniqueNamespace('rebuild'));
    await app.start();
    try {
      await rebuildUnderLoad(app, backend.ports);
    } finally {
      await close();
    }
  }, 120_000);
});
