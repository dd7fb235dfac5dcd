import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import type { ReadModelGenerations } from '../../src/domain/ports/read-model-generations.port.js';
import type { AccountsGeneration } from '../../src/domain/ports/read-model.port.js';
import type { Application } from '../../src/application/application.js';
import { eventually } from '../support/eventually.js';
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

  it('mends a view its blind write took back below a live event before the new generation becomes active', async () => {
    // The rebuild writes a fresh generation without reading it first (ADR 0051). Here a deposit
    // lands, and is projected into the new generation, between the rebuild's read of the stream
    // and its write: the write takes the view back, and only the rebuild's last look at the log
    // can bring it forward again.
    let app: Application | undefined;
    const raced: { before?: number; overwritten?: number } = {};
    const racing = (generations: ReadModelGenerations): ReadModelGenerations =>
      new Proxy(generations, {
        get(target, property) {
          if (property !== 'accounts') return Reflect.get(target, property, target) as unknown;
          return async (generation: number): Promise<AccountsGeneration> => {
            const stores = await target.accounts(generation);
            if (generation === 0) return stores;
            const views = stores.accountViews;
            const overwriteAll: typeof views.overwriteAll = async (batch) => {
              const rebuilt = batch.get('racer');
              if (rebuilt && raced.before === undefined) {
                raced.before = rebuilt.version;
                await app!.accounts.deposit('racer', 7);
                await eventually(async () => ((await views.get('racer', { fresh: true }))?.version ?? 0) > rebuilt.version, {
                  message: 'the live deposit reaches the generation being built',
                });
                await views.overwriteAll(batch);
                raced.overwritten = (await views.get('racer', { fresh: true }))?.version;
                return;
              }
              await views.overwriteAll(batch);
            };
            return { ...stores, accountViews: Object.assign(Object.create(views) as typeof views, { overwriteAll }) };
          };
        },
      });
    const memory = createMemoryApp({ clock: new SystemClock(), overrides: (ports) => ({ generations: racing(ports.generations) }) });
    app = memory.app;
    await app.start();
    try {
      await app.accounts.open({ accountId: 'racer', owner: 'r', currency: 'KRW' });
      for (let i = 1; i <= 3; i++) await app.accounts.deposit('racer', 10 * i);
      await eventually(async () => (await app!.accountQueries.get('racer').catch(() => undefined))?.version === 4, { message: 'the view is current' });

      const status = await app.administration.rebuild('accounts');
      expect(status.state).toBe('running');
      await app.rebuilder.drain();

      expect(app.administration.rebuildStatus('accounts')).toMatchObject({ state: 'completed', generation: 1 });
      // The race happened: the blind write put version 4 over the live version 5.
      expect(raced).toStrictEqual({ before: 4, overwritten: 4 });
      expect(app.readModel.activeGeneration('accounts')).toBe(1);
      const view = await app.accountQueries.get('racer');
      expect(view).toMatchObject({ version: 5, balance: 67 });
      const history = await app.accountQueries.transactions('racer', { limit: 10 });
      expect(history.items.map((entry) => entry.version)).toStrictEqual([1, 2, 3, 4, 5]);
    } finally {
      await app.stop();
    }
  });
});
