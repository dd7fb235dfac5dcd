import { describe, it } from 'vitest';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { createMemoryApp } from '../support/memory-app.js';
import { rebuildUnderLoad } from '../support/rebuild-scenario.js';

describe('rebuilding a projection (memory)', () => {
  it('replays the log into a fresh generation under query load and switches to it', async () => {
    const { app, backend } = createMemoryApp({ clock: new SystemClock() });
    await app.start();
    try {
      await rebuildUnderLoad(app, backend);
    } finally {
      await app.stop();
    }
  });
});
