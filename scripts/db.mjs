// PostgreSQL settings of the project and the schema migration. Used by `npm run db:migrate`, by
// scripts/cluster.mjs (members get the JDBC settings) and by the test setup.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA = path.join(ROOT, 'db', 'schema.sql');

/** PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, with the project's defaults. */
export function pgSettings(env = process.env) {
  return {
    host: env.PGHOST || '127.0.0.1',
    port: Number(env.PGPORT || 5432),
    database: env.PGDATABASE || 'hzcqrs',
    user: env.PGUSER || 'postgres',
    password: env.PGPASSWORD || '',
  };
}

export function jdbcUrl(settings) {
  return `jdbc:postgresql://${settings.host}:${settings.port}/${settings.database}`;
}

const quoteIdentifier = (name) => `"${name.replaceAll('"', '""')}"`;

/** Creates the database when it is missing, then applies db/schema.sql. */
export async function migrate(settings = pgSettings(), { log = () => {} } = {}) {
  const admin = new pg.Client({ ...settings, database: 'postgres', connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`cannot reach PostgreSQL at ${settings.host}:${settings.port} as ${settings.user}: ${error.message}`);
  }
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [settings.database]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${quoteIdentifier(settings.database)}`);
      log(`created database ${settings.database}`);
    }
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ ...settings, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(fs.readFileSync(SCHEMA, 'utf8'));
    log(`schema applied to ${settings.database}`);
  } finally {
    await client.end();
  }
}

/** Runs one SQL statement against the project's database: for tests and benchmarks. */
export async function query(settings, text, values = []) {
  const client = new pg.Client({ ...settings, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const settings = pgSettings();
  migrate(settings, { log: (message) => console.log(`db:migrate: ${message}`) }).catch((error) => {
    console.error(`db:migrate: ${error.message}`);
    process.exit(1);
  });
}
