import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Cluster } from '../../tools/cluster.js';
import { query } from '../../tools/db.js';
import { buildHttpApp } from '../../src/adapters/http/build-http-app.js';
import type { HazelcastBackend } from '../../src/adapters/hazelcast/hazelcast-backend.js';
import type { Application } from '../../src/application/application.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import { eventually } from '../support/eventually.js';
import { uniqueNamespace } from '../support/hazelcast-app.js';
import { connectOwn, startOwnCluster } from '../support/own-cluster.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { composeTestApplication } from '../support/test-composition.js';
import { testPersistence } from '../support/test-database.js';

/**
 * PostgreSQL unreachable from the member (its connections cut and refused by a proxy): a write
 * must be refused with 503 and Retry-After at once, not after the member's JDBC pool has waited out
 * its connection timeout (3 s) for every put, and writes go through again soon after it returns
 * (ADR 0031). The bound of 1 s is a third of that timeout: a member without the breaker fails it.
 */
const PROMPT_MS = 1_000;

describe('PostgreSQL unreachable for the member', () => {
  let cluster: Cluster;
  let proxy: TcpProxy;
  let backend: HazelcastBackend;
  let app: Application;
  let http: FastifyInstance;
  const namespace = uniqueNamespace('pg-outage');
  /** While set, appends wait for it: a command is running when PostgreSQL goes. */
  let held: Promise<void> | undefined;
  let appendsHeld = 0;

  beforeAll(async () => {
    const direct = testPersistence().settings;
    proxy = new TcpProxy(direct.host, direct.port);
    const port = await proxy.start();
    cluster = await startOwnCluster('pg-breaker', 1, { persistence: { settings: { ...direct, port } } });
    // The service reads the log through the same proxy: the outage is PostgreSQL's, for everyone.
    backend = await connectOwn(cluster, namespace, { ...direct, port });
    const log = backend.ports.eventLog;
    const eventLog = new Proxy(log, {
      get: (target, property) => {
        if (property === 'append') {
          return async (...args: Parameters<EventLog['append']>) => {
            if (held) {
              appendsHeld++;
              await held;
            }
            return target.append(...args);
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    app = composeTestApplication(backend.ports, { ports: { eventLog }, clock: new SystemClock(), ids: new SequentialIds('pgo-') });
    await app.start();
    http = await buildHttpApp({ application: app });
  }, 120_000);

  afterAll(async () => {
    await http?.close();
    await app?.stop();
    await backend?.close();
    await cluster?.stop();
    await proxy?.cut();
  });

  const deposit = (key: string, amount: number, account = 'acc') =>
    http.inject({
      method: 'POST',
      url: `/accounts/${account}/deposits`,
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      payload: { amount },
    });

  it('answers every write 503 with Retry-After promptly while it is away, and takes writes again when it returns', async () => {
    const opened = await http.inject({ method: 'POST', url: '/accounts', headers: { 'content-type': 'application/json' }, payload: { owner: 'o', accountId: 'acc' } });
    expect(opened.statusCode).toBe(201);
    expect((await deposit('before', 1)).statusCode).toBe(200);
    expect((await backend.ports.inspection.describe()).writeThrough).toEqual({ target: expect.stringMatching(/PostgreSQL/) });

    await proxy.cut();
    const answers: { status: number; type: unknown; retryAfter: unknown; ms: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      const answer = await deposit(`during-${i}`, 1_000 + i);
      answers.push({ status: answer.statusCode, type: answer.json().type, retryAfter: answer.headers['retry-after'], ms: Math.round(performance.now() - started) });
    }
    for (const answer of answers) {
      expect(answer, JSON.stringify(answers)).toMatchObject({ status: 503, type: '/problems/unavailable', retryAfter: '1' });
      expect(answer.ms, JSON.stringify(answers)).toBeLessThan(PROMPT_MS);
    }
    // The console's cluster view names the last write the member could not pass on, as this client was told.
    expect((await backend.ports.inspection.describe()).writeThrough?.lastError).toMatchObject({
      operation: expect.stringMatching(/^(append event|claim idempotency key|complete idempotency key)$/),
      message: expect.stringMatching(/PostgreSQL/),
    });

    await proxy.restore();
    await eventually(async () => (await deposit('after', 2)).statusCode === 200, {
      timeoutMs: 10_000,
      message: 'a write goes through once PostgreSQL is back',
    });

    // Acknowledged writes are in PostgreSQL; refused ones are not, and the versions have no hole.
    const rows = await query(testPersistence().settings, 'select version, payload from events where namespace = $1 and aggregate_id = $2 order by version', [
      namespace,
      'acc',
    ]);
    expect(rows.rows.map((r) => r.payload.amount ?? null)).toEqual([null, 1, 2]);
  });

  it('answers the retry of a request that was running when PostgreSQL went 503 too, not 409 "in flight"', async () => {
    const opened = await http.inject({ method: 'POST', url: '/accounts', headers: { 'content-type': 'application/json' }, payload: { owner: 'o', accountId: 'acc2' } });
    expect(opened.statusCode).toBe(201);
    let release = (): void => undefined;
    held = new Promise((resolve) => (release = resolve));
    // Admitted while PostgreSQL is there (its key's in-flight lease is stored), then held before its append.
    const first = deposit('running', 7, 'acc2');
    await eventually(async () => appendsHeld > 0, { timeoutMs: 10_000, message: 'the first request reaches its append' });
    await proxy.cut();
    held = undefined;
    release();
    expect((await first).statusCode).toBe(503);

    // Its answer could not end its lease durably; the retry is refused as PostgreSQL is away, at once.
    const retry = await deposit('running', 7, 'acc2');
    expect({ status: retry.statusCode, type: retry.json().type }).toEqual({ status: 503, type: '/problems/unavailable' });

    await proxy.restore();
    await eventually(async () => (await deposit('running', 7, 'acc2')).statusCode === 200, {
      timeoutMs: 10_000,
      message: 'the retry runs once PostgreSQL is back',
    });
    const rows = await query(testPersistence().settings, 'select payload from events where namespace = $1 and aggregate_id = $2 order by version', [
      namespace,
      'acc2',
    ]);
    expect(rows.rows.map((r) => r.payload.amount ?? null)).toEqual([null, 7]);
  });
});
