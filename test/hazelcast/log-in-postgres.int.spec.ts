import { describe, expect, it } from 'vitest';
import { query } from '../../tools/db.js';
import { eventually } from '../support/eventually.js';
import { createHazelcastApp, uniqueNamespace } from '../support/hazelcast-app.js';
import { testPersistence } from '../support/test-database.js';

/**
 * Writes an account's stream straight into PostgreSQL, as the members' MapStore writes it, recorded
 * `ageMs` ago: the event log map never held it and nothing published it.
 */
const writeBehindTheCluster = async (namespace: string, accountId: string, amounts: readonly number[], ageMs: number): Promise<void> => {
  const recordedMs = Date.now() - ageMs;
  const rows = [{ type: 'AccountOpened', payload: { owner: `o-${accountId}`, currency: 'KRW' } }, ...amounts.map((amount) => ({ type: 'MoneyDeposited', payload: { amount } }))];
  for (const [index, row] of rows.entries()) {
    await query(
      testPersistence().settings,
      `insert into events (namespace, aggregate_type, aggregate_id, version, event_id, event_type, occurred_at, recorded_at_ms, payload)
       values ($1, 'account', $2, $3, $4, $5, to_timestamp($6::bigint / 1000.0), $6::bigint, $7::jsonb)`,
      [namespace, accountId, index + 1, `${accountId}.${index + 1}`, row.type, recordedMs + index, JSON.stringify(row.payload)],
    );
  }
};

describe('the log read from PostgreSQL (ADR 0047)', () => {
  it('the reconciler and a rebuild find events that only PostgreSQL holds', async () => {
    const namespace = uniqueNamespace('pg-log');
    const { app, backend, close } = await createHazelcastApp(namespace);
    try {
      // The map exists and has loaded what PostgreSQL held (nothing): what is written now is not in it.
      await app.accounts.open({ accountId: 'live', owner: 'Ann', currency: 'KRW' });
      await writeBehindTheCluster(namespace, 'pg-only', [700, 50], 60_000);
      expect(await backend.ports.eventLog.count('account')).toBe(4);

      // The first sweep replays the whole log: it reads it in PostgreSQL.
      await app.start();
      await eventually(async () => (await backend.ports.accountViews.get('pg-only', { fresh: true }))?.version === 3, {
        timeoutMs: 30_000,
        message: 'the reconciler brings a stream only PostgreSQL holds into the views',
      });
      expect(await app.accountQueries.get('pg-only')).toMatchObject({ balance: 750, version: 3 });

      // Older than every sweep's range from now on: only a replay of the whole log finds it.
      await writeBehindTheCluster(namespace, 'pg-only-2', [5, 6, 7], 120_000);
      const started = await app.administration.rebuild('accounts');
      expect(started).toMatchObject({ state: 'running', total: 8 });
      const deadline = Date.now() + 60_000;
      while (app.administration.rebuildStatus('accounts')?.state === 'running') {
        if (Date.now() > deadline) throw new Error('the rebuild did not finish within 60 s');
        await app.rebuilder.drain();
      }
      expect(app.administration.rebuildStatus('accounts')).toMatchObject({ state: 'completed', replayed: 8, total: 8 });
      expect(app.readModel.activeGeneration('accounts')).toBe(1);
      expect(await app.accountQueries.get('pg-only-2')).toMatchObject({ balance: 18, version: 4 });
      expect(await app.accountQueries.get('pg-only')).toMatchObject({ balance: 750, version: 3 });
      const history = await app.accountQueries.transactions('pg-only-2', { limit: 10 });
      expect(history.items.map((item) => item.version)).toEqual([1, 2, 3, 4]);
    } finally {
      await close();
    }
  }, 120_000);
});
