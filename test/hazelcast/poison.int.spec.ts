import { describe, it } from 'vitest';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';
import { poisonEventParksOneView } from '../support/poison-scenario.js';

describe('a poison event (Hazelcast)', () => {
  it('parks its view, marked stale, while the others flow', async () => {
    const { app, backend, close } = await createHazelcastApp(uniqueNamespace('poison'));
    await app.start();
    try {
      await poisonEventParksOneView(app, backend.ports);
    } finally {
      await close();
    }
  });
});
