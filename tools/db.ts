/**
 * PostgreSQL settings of the project and the schema migration: `npm run db:migrate`, the local
 * cluster (members get the JDBC settings, tools/cluster.ts) and the test setup.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { isMain, ROOT } from './root.js';

export const SCHEMA = path.join(ROOT, 'db', 'schema.sql');

export interface PgSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

/** PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, with the project's defaults. */
export function pgSettings(env: Record<string, string | undefined> = process.env): PgSettings {
  return {
    host: env['PGHOST'] || '127.0.0.1',
    port: Number(env['PGPORT'] || 5432),
    database: env['PGDATABASE'] || 'hzcqrs',
    user: env['PGUSER'] || 'postgres',
    password: env['PGPASSWORD'] || '',
  };
}

/** The settings as the PG* variables of a process that reads PostgreSQL, the service among them (ADR 0047). */
export function pgEnv(settings: PgSettings): Record<string, string> {
  return {
    PGHOST: settings.host,
    PGPORT: String(settings.port),
    PGDATABASE: settings.database,
    PGUSER: settings.user,
    PGPASSWORD: settings.password,
  };
}

export function jdbcUrl(settings: PgSettings): string {
  return `jdbc:postgresql://${settings.host}:${settings.port}/${settings.database}`;
}

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Creates the database when it is missing, then applies db/schema.sql. */
export async function migrate(settings: PgSettings = pgSettings(), { log = (_message: string): void => {} } = {}): Promise<void> {
  const admin = new pg.Client({ ...settings, database: 'postgres', connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`cannot reach PostgreSQL at ${settings.host}:${settings.port} as ${settings.user}: ${(error as Error).message}`);
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
export async function query(settings: PgSettings, text: string, values: readonly unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ ...settings, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await client.query(text, [...values]);
  } finally {
    await client.end();
  }
}

if (isMain(import.meta.url)) {
  migrate(pgSettings(), { log: (message) => console.log(`db:migrate: ${message}`) }).catch((error: Error) => {
    console.error(`db:migrate: ${error.message}`);
    process.exit(1);
  });
}
