import { expect } from 'vitest';
import type { Application, BackendPorts } from '../../src/application/application.js';
import { buildHttpApp } from '../../src/adapters/http/build-http-app.js';
import { eventually } from './eventually.js';

/**
 * An event a projection cannot apply parks its aggregate's view (marked stale, listed for an
 * operator) while every other aggregate keeps flowing; a retry parks it again while the event is
 * still there.
 */
export const poisonEventParksOneView = async (app: Application, ports: BackendPorts): Promise<void> => {
  for (const id of ['sick', 'well']) {
    await app.accounts.open({ accountId: id, owner: 'o', currency: 'KRW' });
    await app.accounts.deposit(id, 100);
  }
  await app.accountQueries.get('sick', { minVersion: 2, waitMs: 10_000 });
  // Written around the domain, as a bug or a hand edit might: no projection knows this event.
  const poison = {
    eventId: 'poison-1',
    aggregateType: 'account' as const,
    aggregateId: 'sick',
    eventType: 'BalanceTeleported',
    version: 3,
    timestamp: new Date().toISOString(),
    data: { amount: 5 },
  };
  expect(await ports.eventLog.append(poison)).toEqual({ ok: true });
  await ports.publisher.publish([poison]);

  await eventually(async () => (await ports.parked.list(10)).some((p) => p.aggregateId === 'sick'), {
    timeoutMs: 20_000,
    message: 'the sick aggregate is parked',
  });
  // Other aggregates keep flowing.
  const { version } = await app.accounts.deposit('well', 1);
  expect((await app.accountQueries.get('well', { minVersion: version, waitMs: 10_000 })).balance).toBe(101);

  const [parked] = (await app.administration.listParked(10)).filter((p) => p.aggregateId === 'sick');
  expect(parked).toMatchObject({ projection: 'accounts', aggregateType: 'account', version: 3 });
  expect(parked!.reason).toMatch(/BalanceTeleported/);
  await eventually(async () => (await app.accountQueries.get('sick')).stale?.failedAt === 3, { message: 'the view says it is stale' });
  expect(await app.accountQueries.get('sick')).toMatchObject({ version: 2, balance: 100 });

  const http = await buildHttpApp({ application: app, logger: false });
  try {
    const response = await http.inject({ method: 'GET', url: '/accounts/sick' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['warning']).toMatch(/stale: version 3/);
    expect(response.json()).not.toHaveProperty('stale');
    expect((await http.inject({ method: 'GET', url: '/accounts/well' })).headers['warning']).toBeUndefined();
    const retried = await http.inject({ method: 'POST', url: '/admin/parked/accounts/sick/retry' });
    expect(retried.json()).toMatchObject({ outcome: 'parked-again' });
  } finally {
    await http.close();
  }
};
