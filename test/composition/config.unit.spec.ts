import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/composition/config.js';

const refused = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('configuration from the environment', () => {
  it('has the defaults the README lists', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      backend: 'memory',
      hazelcast: { members: ['127.0.0.1:5701'], clusterName: 'dev', namespace: 'hzcqrs', nearCache: true, smartRouting: true },
      shards: 8,
      projections: true,
      logLevel: 'info',
      watchdogStallMs: 10_000,
      postgres: { host: '127.0.0.1', port: 5432, database: 'hzcqrs', user: 'postgres', password: '' },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: 'localhost',
      BACKEND: 'hazelcast',
      HAZELCAST_MEMBERS: '10.0.0.1:5701, 10.0.0.2:5702',
      HAZELCAST_CLUSTER_NAME: 'prod',
      HAZELCAST_NAMESPACE: 'hzcqrs-bank',
      NEAR_CACHE: 'off',
      HAZELCAST_SMART_ROUTING: 'off',
      EVENT_SHARDS: '16',
      PROJECTIONS: 'off',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '600',
      WATCHDOG_STALL_MS: '3000',
      PGHOST: 'db.internal',
      PGPORT: '6432',
      PGDATABASE: 'bank',
      PGUSER: 'hzcqrs',
      PGPASSWORD: 'secret',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: 'localhost',
      backend: 'hazelcast',
      hazelcast: { members: ['10.0.0.1:5701', '10.0.0.2:5702'], clusterName: 'prod', namespace: 'hzcqrs-bank', nearCache: false, smartRouting: false },
      shards: 16,
      projections: false,
      logLevel: 'warn',
      rateLimitPerMinute: 600,
      watchdogStallMs: 3000,
      postgres: { host: 'db.internal', port: 6432, database: 'bank', user: 'hzcqrs', password: 'secret' },
    });
    expect(loadConfig({ WATCHDOG_STALL_MS: '0' }).watchdogStallMs).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer in 1..65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer in 1..65535 (got "70000")'],
    [{ HOST: 'bad host' }, 'HOST must be an IP address or a host name (got "bad host")'],
    [{ BACKEND: 'redis' }, 'BACKEND must be one of memory, hazelcast (got "redis")'],
    [{ HAZELCAST_MEMBERS: '127.0.0.1' }, 'HAZELCAST_MEMBERS must be a comma-separated list of host:port (got "127.0.0.1")'],
    [{ HAZELCAST_NAMESPACE: 'other' }, 'HAZELCAST_NAMESPACE must be `hzcqrs` followed by up to 40 of A-Z a-z 0-9 _ - (got "other")'],
    [{ EVENT_SHARDS: '0' }, 'EVENT_SHARDS must be an integer in 1..271 (got "0")'],
    [{ PROJECTIONS: 'maybe' }, 'PROJECTIONS must be one of on, off (got "maybe")'],
    [{ PROJECTIONS: 'off' }, 'PROJECTIONS must be on with BACKEND=memory (off needs instances sharing a cluster) (got "off")'],
    [{ NEAR_CACHE: 'yes' }, 'NEAR_CACHE must be one of on, off (got "yes")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ WATCHDOG_STALL_MS: '500' }, 'WATCHDOG_STALL_MS must be 0 (off) or an integer in 1000..600000 (milliseconds) (got "500")'],
    [{ WATCHDOG_STALL_MS: '10s' }, 'WATCHDOG_STALL_MS must be 0 (off) or an integer in 1000..600000 (milliseconds) (got "10s")'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE must be an integer in 1..10000000 (got "0")'],
    [{ PGPORT: '5432x' }, 'PGPORT must be an integer in 1..65535 (got "5432x")'],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(refused(env)).toBe(message);
  });
});
