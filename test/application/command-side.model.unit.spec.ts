import { createMemoryApp } from '../support/memory-app.js';
import { commandSideSuite } from './command-side.model.js';

commandSideSuite(
  'memory',
  async () => {
    const { app, backend } = createMemoryApp();
    return { app, backend, close: () => app.stop() };
  },
  60,
);
