import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpApp } from '../../src/adapters/http/build-http-app.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import type { EventLog } from '../../src/domain/ports/event-log.port.js';
import { createMemoryApp, type MemoryApp } from '../support/memory-app.js';

/**
 * A backend that fails during an append, and then cannot be asked whether the event got in: the
 * client gets 503 and retries with its Idempotency-Key. The retry must not apply the command twice.
 */
const failing = (log: EventLog, plan: { appendThenFail: boolean; armed: boolean; readFails: boolean }): EventLog => ({
  read: async (...args) => {
    if (plan.armed && plan.readFails) throw new Error('the backend does not answer');
    return log.read(...args);
  },
  recordedPage: (...args) => log.recordedPage(...args),
  streamsPage: (...args) => log.streamsPage(...args),
  streamsWithout: (...args) => log.streamsWithout(...args),
  streamIds: (...args) => log.streamIds(...args),
  count: (...args) => log.count(...args),
  append: async (event) => {
    if (!plan.armed || event.aggregateType !== 'account' || event.eventType !== 'MoneyDeposited') return log.append(event);
    if (plan.appendThenFail) await log.append(event);
    throw new Error('connection lost during the append');
  },
});

describe('a command whose outcome is unknown', () => {
  let http: FastifyInstance | undefined;
  let memory: MemoryApp | undefined;
  afterEach(async () => {
    await http?.close();
    await memory?.app.stop();
  });

  const start = async (appendThenFail: boolean, readFails = true) => {
    const plan = { appendThenFail, armed: false, readFails };
    memory = createMemoryApp({ clock: new SystemClock(), overrides: (ports) => ({ eventLog: failing(ports.eventLog, plan) }) });
    await memory.app.start();
    http = await buildHttpApp({ application: memory.app, logger: false });
    const opened = await http.inject({ method: 'POST', url: '/accounts', payload: { owner: 'o', accountId: 'acc' } });
    expect(opened.statusCode).toBe(201);
    return plan;
  };

  const deposit = () =>
    http!.inject({ method: 'POST', url: '/accounts/acc/deposits', headers: { 'idempotency-key': 'dep-1' }, payload: { amount: 10 } });

  const deposits = async () => (await memory!.backend.eventLog.read('account', 'acc', 1)).filter((e) => e.eventType === 'MoneyDeposited');

  it('that did get in is answered, on retry, as applied: once', async () => {
    const plan = await start(true);
    plan.armed = true;
    const first = await deposit();
    expect(first.statusCode).toBe(503);
    plan.armed = false;
    const retry = await deposit();
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ accountId: 'acc', version: 2 });
    expect(retry.headers['etag']).toBe('"2"');
    expect(await deposits()).toHaveLength(1);
    // And it stays the answer.
    expect((await deposit()).json()).toEqual({ accountId: 'acc', version: 2 });
    expect(await deposits()).toHaveLength(1);
  });

  it('that did not get in runs again on retry: once', async () => {
    const plan = await start(false);
    plan.armed = true;
    expect((await deposit()).statusCode).toBe(503);
    plan.armed = false;
    const retry = await deposit();
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ accountId: 'acc', version: 2 });
    expect(await deposits()).toHaveLength(1);
  });

  it('that got in, when the backend answers the look at its slot, is simply accepted', async () => {
    const plan = await start(true, false);
    plan.armed = true;
    const first = await deposit();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accountId: 'acc', version: 2 });
    expect(await deposits()).toHaveLength(1);
  });
});
