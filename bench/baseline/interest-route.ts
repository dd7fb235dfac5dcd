/**
 * The end-of-day job as such jobs are written against one shared model: one transaction locks
 * every account row (SELECT ... FOR UPDATE), computes, updates each row and writes its history,
 * then commits. Online commands on any account wait for it.
 */
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

export const interestRoute = (app: FastifyInstance, pool: pg.Pool): void => {
  /** Pays `amount` to every account whose id starts with `prefix`; answers how many and how long. */
  app.post<{ Body: { prefix: string; amount: number } }>('/batch/interest', async (request) => {
    const { prefix, amount } = request.body;
    const startMs = performance.now();
    const client = await pool.connect();
    try {
      await client.query('begin');
      const locked = await client.query(
        `select account_id, balance, version from baseline_accounts where starts_with(account_id, $1) order by account_id for update`,
        [prefix],
      );
      for (const row of locked.rows) {
        const balance = Number(row.balance) + amount;
        const version = Number(row.version) + 1;
        await client.query('update baseline_accounts set balance = $2, version = $3, updated_at = now() where account_id = $1', [row.account_id, balance, version]);
        await client.query(`insert into baseline_transactions values ($1, $2, 'interest', $3, $4, now())`, [row.account_id, version, amount, balance]);
      }
      await client.query('commit');
      return { accounts: locked.rows.length, ms: Math.round(performance.now() - startMs) };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });
};
