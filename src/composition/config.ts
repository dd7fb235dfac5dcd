import { isIP } from 'node:net';
import { parseApiTokens, type ApiTokens } from '../adapters/http/build-http-app.js';

export type BackendKind = 'memory' | 'hazelcast';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly backend: BackendKind;
  readonly hazelcast: {
    readonly members: readonly string[];
    readonly clusterName: string;
    /** Prefix of every map and topic; deployments sharing a cluster keep apart by it. */
    readonly namespace: string;
    /** Read account and transfer views through the client's Near Cache. */
    readonly nearCache: boolean;
    /** Connect to every member (on) or through the listed address only (off: behind a proxy). */
    readonly smartRouting: boolean;
  };
  /** How many shards (ReliableTopics on Hazelcast) events are published on. */
  readonly shards: number;
  /** Set when API_TOKENS is: token → scopes. */
  readonly apiTokens?: ApiTokens;
  readonly logLevel: string;
  /** Run projections and reconciliation here (on), or only commands and queries (off; Hazelcast only). */
  readonly projections: boolean;
  /** Requests per caller and minute; unset: no limit. */
  readonly rateLimitPerMinute?: number;
  /** End the process when its event loop has not turned for this long; 0: never (ADR 0027). */
  readonly watchdogStallMs: number;
  /**
   * The PostgreSQL the members write through to (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, the
   * tools' defaults): on Hazelcast the service reads the log there (ADR 0047).
   */
  readonly postgres: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly password: string;
  };
}

/** A configuration value that cannot be used: the message is the one line printed at start-up. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const fail = (name: string, accepted: string, value: string): never => {
  throw new ConfigError(`${name} must be ${accepted} (got ${JSON.stringify(value)})`);
};

const isHost = (value: string): boolean => isIP(value) !== 0 || HOSTNAME.test(value);

const integer = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(name, `an integer in ${min}..${max}`, raw);
  return value;
};

const oneOf = <T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T => {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (!values.includes(raw as T)) fail(name, `one of ${values.join(', ')}`, raw);
  return raw as T;
};

const members = (env: NodeJS.ProcessEnv): string[] => {
  const raw = env['HAZELCAST_MEMBERS'] ?? '127.0.0.1:5701';
  const list = raw.split(',').map((m) => m.trim());
  for (const member of list) {
    const match = /^(.+):(\d{1,5})$/.exec(member);
    const port = match ? Number(match[2]) : 0;
    if (!match || !isHost(match[1]!) || port < 1 || port > 65535) {
      fail('HAZELCAST_MEMBERS', 'a comma-separated list of host:port', raw);
    }
  }
  return list;
};

const namespace = (env: NodeJS.ProcessEnv): string => {
  const raw = env['HAZELCAST_NAMESPACE'] ?? 'hzcqrs';
  if (!/^hzcqrs[A-Za-z0-9_-]{0,40}$/.test(raw)) fail('HAZELCAST_NAMESPACE', '`hzcqrs` followed by up to 40 of A-Z a-z 0-9 _ -', raw);
  return raw;
};

const watchdogStallMs = (env: NodeJS.ProcessEnv): number => {
  const raw = env['WATCHDOG_STALL_MS'];
  if (raw === undefined) return 10_000;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (value !== 0 && !(Number.isSafeInteger(value) && value >= 1_000 && value <= 600_000)) {
    fail('WATCHDOG_STALL_MS', '0 (off) or an integer in 1000..600000 (milliseconds)', raw);
  }
  return value;
};

const apiTokens = (raw: string): ApiTokens => {
  try {
    return parseApiTokens(raw);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
};

/** Reads the environment; throws ConfigError naming the first bad variable and what it accepts. */
export const loadConfig = (env: NodeJS.ProcessEnv): Config => {
  const host = env['HOST'] ?? '127.0.0.1';
  if (!isHost(host)) fail('HOST', 'an IP address or a host name', host);
  const clusterName = env['HAZELCAST_CLUSTER_NAME'] ?? 'dev';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(clusterName)) fail('HAZELCAST_CLUSTER_NAME', '1..64 of A-Z a-z 0-9 _ . -', clusterName);
  const tokens = env['API_TOKENS'];
  const backend = oneOf(env, 'BACKEND', ['memory', 'hazelcast'] as const, 'memory');
  const projections = oneOf(env, 'PROJECTIONS', ['on', 'off'] as const, 'on') === 'on';
  // The memory backend lives in this process: with projections off, no view would ever change.
  if (!projections && backend === 'memory') fail('PROJECTIONS', 'on with BACKEND=memory (off needs instances sharing a cluster)', 'off');
  return {
    port: integer(env, 'PORT', 3000, 1, 65535),
    host,
    backend,
    hazelcast: {
      members: members(env),
      clusterName,
      namespace: namespace(env),
      nearCache: oneOf(env, 'NEAR_CACHE', ['on', 'off'] as const, 'on') === 'on',
      smartRouting: oneOf(env, 'HAZELCAST_SMART_ROUTING', ['on', 'off'] as const, 'on') === 'on',
    },
    shards: integer(env, 'EVENT_SHARDS', 8, 1, 271),
    projections,
    ...(tokens === undefined || tokens === '' ? {} : { apiTokens: apiTokens(tokens) }),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    watchdogStallMs: watchdogStallMs(env),
    postgres: {
      host: env['PGHOST'] || '127.0.0.1',
      port: integer({ PGPORT: env['PGPORT'] || undefined }, 'PGPORT', 5432, 1, 65535),
      database: env['PGDATABASE'] || 'hzcqrs',
      user: env['PGUSER'] || 'postgres',
      password: env['PGPASSWORD'] || '',
    },
    ...(env['RATE_LIMIT_PER_MINUTE'] === undefined ? {} : { rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 0, 1, 10_000_000) }),
  };
};
