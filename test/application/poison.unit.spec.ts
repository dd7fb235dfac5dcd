import { describe, it } from 'vitest';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { createMemoryApp } from '../support/memory-app.js';
import { poisonEventParksOneView } from '../support/poison-scenario.js';

describe('a poison event (memory)', () => {
  it('parks its view, marked stale, while the others flow', async () => {
    const { app, backend } = createMemoryApp({ clock: new SystemClock() });
    await app.start();
    try {
      await poisonEventParksOneView(app, backend);
    } finally {
      await app.stop();
    }
  });
});
