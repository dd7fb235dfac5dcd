// Types of scripts/db.mjs (PostgreSQL settings, schema migration).
import type { QueryResult } from 'pg';
import type { PgSettings } from './cluster.mjs';

export declare const SCHEMA: string;
export declare function pgSettings(env?: Record<string, string | undefined>): PgSettings;
export declare function jdbcUrl(settings: PgSettings): string;
export declare function migrate(settings?: PgSettings, options?: { log?: (message: string) => void }): Promise<void>;
export declare function query(settings: PgSettings, text: string, values?: readonly unknown[]): Promise<QueryResult>;
