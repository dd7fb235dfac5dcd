/**
 * Transfers the single-model way: one transaction locks both rows (SELECT ... FOR UPDATE, in
 * account-id order so that two opposite transfers cannot deadlock), debits, credits, writes the
 * history rows and the transfer, and commits. The transfer has ended when it is answered.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

export const createTransferTable = `
  create table if not exists baseline_transfers (
    transfer_id text primary key, from_id text not null, to_id text not null, amount bigint not null,
    status text not null, reason text, at timestamptz not null);
`;

interface TransferBody {
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly transferId?: string;
}

const problem = (status: number, type: string) => ({ type: `/problems/${type}`, title: type, status });

export const transferRoutes = (app: FastifyInstance, pool: pg.Pool): void => {
  app.post<{ Body: TransferBody }>('/transfers', async (request, reply) => {
    const { from, to, amount } = request.body;
    const transferId = request.body.transferId ?? randomUUID();
    if (from === to) return reply.code(400).send(problem(400, 'validation'));
    const client = await pool.connect();
    try {
      await client.query('begin');
      const rows = new Map<string, { balance: number; version: number }>();
      for (const id of [from, to].sort()) {
        const locked = await client.query('select balance, version from baseline_accounts where account_id = $1 for update', [id]);
        if (locked.rows[0]) rows.set(id, { balance: Number(locked.rows[0].balance), version: Number(locked.rows[0].version) });
      }
      const source = rows.get(from);
      const target = rows.get(to);
      // A refused transfer is recorded as failed, as hzcqrs records it, and answered with its problem.
      const refuse = async (status: number, reason: string) => {
        await client.query(`insert into baseline_transfers values ($1, $2, $3, $4, 'failed', $5, now())`, [transferId, from, to, amount, reason]);
        await client.query('commit');
        return reply.code(status).send(problem(status, reason));
      };
      if (!source || !target) return await refuse(404, 'not-found');
      if (source.balance < amount) return await refuse(422, 'insufficient-funds');
      const write = async (id: string, row: { balance: number; version: number }, delta: number, type: string) => {
        await client.query('update baseline_accounts set balance = $2, version = $3, updated_at = now() where account_id = $1', [id, row.balance + delta, row.version + 1]);
        await client.query('insert into baseline_transactions values ($1, $2, $3, $4, $5, now())', [id, row.version + 1, type, amount, row.balance + delta]);
      };
      await write(from, source, -amount, 'transfer-out');
      await write(to, target, amount, 'transfer-in');
      await client.query(`insert into baseline_transfers values ($1, $2, $3, $4, 'completed', null, now())`, [transferId, from, to, amount]);
      await client.query('commit');
      return reply.code(201).send({ transferId, status: 'completed' });
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  });

  app.get<{ Params: { id: string } }>('/transfers/:id', async (request, reply) => {
    const found = await pool.query('select * from baseline_transfers where transfer_id = $1', [request.params.id]);
    const row = found.rows[0];
    if (!row) return reply.code(404).send(problem(404, 'not-found'));
    return {
      transferId: row.transfer_id,
      from: row.from_id,
      to: row.to_id,
      amount: Number(row.amount),
      status: row.status,
      ...(row.reason ? { reason: row.reason } : {}),
    };
  });
};
