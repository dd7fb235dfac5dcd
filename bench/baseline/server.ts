/**
 * The single-model design hzcqrs replaces, for the benchmark only: the same HTTP routes on one
 * PostgreSQL schema. Commands lock the row (BEGIN; SELECT ... FOR UPDATE; UPDATE; INSERT history;
 * COMMIT); queries read the same table, plainly or, with QUERY_LOCK=share, with SELECT ... FOR
 * SHARE as locking reads do in such systems. Transfers are synchronous (transfer-routes.ts), and
 * the end-of-day job is one transaction over every row (interest-route.ts).
 */
import Fastify from 'fastify';
import pg from 'pg';
import { interestRoute } from './interest-route.js';
import { createTransferTable, transferRoutes } from './transfer-routes.js';

const port = Number(process.env['PORT'] ?? 4999);
const share = process.env['QUERY_LOCK'] === 'share';
const pool = new pg.Pool({
  host: process.env['PGHOST'] ?? '127.0.0.1',
  port: Number(process.env['PGPORT'] ?? 5432),
  user: process.env['PGUSER'] ?? 'postgres',
  password: process.env['PGPASSWORD'] ?? '',
  database: process.env['PGDATABASE'] ?? 'hzcqrs_baseline',
  max: Number(process.env['POOL_SIZE'] ?? 32),
});

await pool.query(`
  create table if not exists baseline_accounts (
    account_id text primary key, owner text not null, currency text not null, balance bigint not null,
    status text not null, version integer not null, opened_at timestamptz not null, updated_at timestamptz not null);
  create table if not exists baseline_transactions (
    account_id text not null, version integer not null, type text not null, amount bigint not null,
    balance_after bigint not null, at timestamptz not null, primary key (account_id, version));
  ${createTransferTable}
`);

const app = Fastify({ logger: false });

const view = (row: Record<string, unknown>) => ({
  accountId: row['account_id'],
  owner: row['owner'],
  currency: row['currency'],
  balance: Number(row['balance']),
  status: row['status'],
  version: row['version'],
  openedAt: (row['opened_at'] as Date).toISOString(),
  updatedAt: (row['updated_at'] as Date).toISOString(),
});

app.get('/health', async () => ({ status: 'ok' }));
app.get('/ready', async () => ({ status: 'ready' }));

app.post<{ Body: { owner: string; accountId: string } }>('/accounts', async (request, reply) => {
  const { owner, accountId } = request.body;
  const inserted = await pool.query(
    `insert into baseline_accounts values ($1, $2, 'KRW', 0, 'open', 1, now(), now()) on conflict do nothing`,
    [accountId, owner],
  );
  if (inserted.rowCount === 0) return reply.code(409).send({ type: '/problems/duplicate', status: 409 });
  await pool.query(`insert into baseline_transactions values ($1, 1, 'opened', 0, 0, now())`, [accountId]);
  return reply.code(201).send({ accountId, version: 1 });
});

const move = (sign: 1 | -1) => async (request: { params: { id: string }; body: { amount: number } }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const locked = await client.query('select balance, version from baseline_accounts where account_id = $1 for update', [request.params.id]);
    const row = locked.rows[0];
    if (!row) {
      await client.query('rollback');
      return reply.code(404).send({ type: '/problems/not-found', status: 404 });
    }
    const balance = Number(row.balance) + sign * request.body.amount;
    if (balance < 0) {
      await client.query('rollback');
      return reply.code(422).send({ type: '/problems/insufficient-funds', status: 422 });
    }
    const version = Number(row.version) + 1;
    await client.query('update baseline_accounts set balance = $2, version = $3, updated_at = now() where account_id = $1', [request.params.id, balance, version]);
    await client.query('insert into baseline_transactions values ($1, $2, $3, $4, $5, now())', [
      request.params.id,
      version,
      sign > 0 ? 'deposit' : 'withdrawal',
      request.body.amount,
      balance,
    ]);
    await client.query('commit');
    return reply.code(200).send({ accountId: request.params.id, version });
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

app.post<{ Params: { id: string }; Body: { amount: number } }>('/accounts/:id/deposits', move(1));
app.post<{ Params: { id: string }; Body: { amount: number } }>('/accounts/:id/withdrawals', move(-1));

app.get<{ Params: { id: string } }>('/accounts/:id', async (request, reply) => {
  if (!share) {
    const found = await pool.query('select * from baseline_accounts where account_id = $1', [request.params.id]);
    return found.rows[0] ? view(found.rows[0]) : reply.code(404).send({ type: '/problems/not-found', status: 404 });
  }
  const client = await pool.connect();
  try {
    await client.query('begin');
    const found = await client.query('select * from baseline_accounts where account_id = $1 for share', [request.params.id]);
    await client.query('commit');
    return found.rows[0] ? view(found.rows[0]) : reply.code(404).send({ type: '/problems/not-found', status: 404 });
  } finally {
    client.release();
  }
});

transferRoutes(app, pool);
interestRoute(app, pool);

await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
