import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { ADMIN_TOKEN, CLIENT_TOKEN, startConsoleService, type ConsoleService } from './console-service.js';

/** How long the page may take to show something: a few of its once-a-second polls, on a busy machine. */
const SEEN_MS = 15_000;

let ids = 0;
const RUN = Date.now().toString(36);
const newId = (label: string): string => `${label}-${RUN}-${ids++}`;

/**
 * The operations console as an operator uses it, in headless Chromium: the service starts, the page
 * asks for the admin token, and what is done through the API shows on the page; parked aggregates
 * are retried and a rebuild is started from it.
 */
describe.each(['memory', 'hazelcast'] as const)('the operations console in a browser (%s)', (backend) => {
  let service: ConsoleService;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const api = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const response = await fetch(`${service.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${CLIENT_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const openWithDeposit = async (accountId: string, amount: number): Promise<void> => {
    expect((await api('POST', '/accounts', { owner: 'Operator test', accountId })).status).toBe(201);
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount })).status).toBe(200);
  };
  /** The count a flow chart shows now; 0 while it has no chart. */
  const total = async (series: string): Promise<number> => {
    const chart = page.locator(`[data-series="${series}"]`);
    return (await chart.count()) === 0 ? 0 : Number(await chart.getAttribute('data-total'));
  };

  beforeAll(async () => {
    service = await startConsoleService(backend);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The refusals the first test provokes (and the icon the browser asks for) are expected; nothing else.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 40[13] /.test(message.text())) pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('asks for the admin token, refuses one without the admin scope, and shows the board with it', async () => {
    await page.goto(`${service.base}/console`);
    await page.locator('#login').waitFor({ state: 'visible', timeout: SEEN_MS });
    await page.fill('#token', CLIENT_TOKEN);
    await page.click('#login button');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: SEEN_MS }).toMatch(/admin scope/);
    expect(await page.locator('#board').isHidden()).toBe(true);

    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#login button');
    await page.locator('#board').waitFor({ state: 'visible', timeout: SEEN_MS });
    await expect.poll(() => page.locator('#status').textContent(), { timeout: SEEN_MS }).toMatch(new RegExp(`${backend} · connected`));
    expect(await page.locator('#buffer-table tbody tr').count()).toBe(4);
  });

  it('shows a deposit made through the API in the flow and among the recent events; paused, the list holds still', async () => {
    const accountId = newId('ann');
    await openWithDeposit(accountId, 1_000);
    await page.locator('[data-series="command/deposit/accepted"]').waitFor({ timeout: SEEN_MS });
    await page.locator(`#event-table tr[data-aggregate="account/${accountId}"][data-type="MoneyDeposited"][data-version="2"]`).waitFor({ timeout: SEEN_MS });

    await page.click('#pause');
    expect(await page.locator('#pause').textContent()).toBe('Resume');
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 5 })).status).toBe(200);
    // Once the third event is published, a query marks the next poll: when the page counts the
    // query, it has polled since the event could be listed, and the paused list must not show it.
    await expect.poll(async () => (await service.application.inspection.recentEvents(50)).some((e) => e.aggregateId === accountId && e.version === 3), { timeout: SEEN_MS }).toBe(true);
    const queries = await total('query/get-account/ok');
    expect((await api('GET', `/accounts/${accountId}`)).status).toBe(200);
    await expect.poll(() => total('query/get-account/ok'), { timeout: SEEN_MS }).toBeGreaterThan(queries);
    const third = page.locator(`#event-table tr[data-aggregate="account/${accountId}"][data-version="3"]`);
    expect(await third.count()).toBe(0);

    await page.click('#pause');
    await third.waitFor({ timeout: SEEN_MS });
  });

  it('lists a parked aggregate with its reason and retries it from the page; the lookup then shows the view current', async () => {
    const accountId = newId('bob');
    await openWithDeposit(accountId, 300);
    expect((await api('GET', `/accounts/${accountId}?minVersion=2&waitMs=5000`)).status).toBe(200);
    // Parked as the projection parks an aggregate whose event it cannot apply: its next events wait.
    await service.ports.parked.park({
      projection: 'accounts',
      aggregateType: 'account',
      aggregateId: accountId,
      version: 3,
      reason: 'could not apply MoneyDeposited at version 3',
      parkedAt: new Date().toISOString(),
    });
    expect((await api('POST', `/accounts/${accountId}/deposits`, { amount: 7 })).status).toBe(200);

    const row = page.locator(`#parked-table tr[data-parked="accounts/${accountId}"]`);
    await row.waitFor({ timeout: SEEN_MS });
    expect(await row.locator('td.reason').textContent()).toBe('could not apply MoneyDeposited at version 3');

    await page.selectOption('#lookup-type', 'accounts');
    await page.fill('#lookup-id', accountId);
    await page.click('#lookup-form button');
    await expect.poll(() => page.locator('#lookup-summary').getAttribute('data-stream'), { timeout: SEEN_MS }).toBe('3');
    expect(await page.locator('#lookup-summary').getAttribute('data-view')).toBe('2');
    expect(await page.locator('#lookup-summary').textContent()).toMatch(/lags its stream by 1/);

    await row.locator('button', { hasText: 'Retry' }).click();
    await row.waitFor({ state: 'detached', timeout: SEEN_MS });
    expect((await api('GET', `/accounts/${accountId}?minVersion=3&waitMs=5000`)).json).toMatchObject({ balance: 307, version: 3 });
    await page.click('#lookup-form button');
    await expect.poll(() => page.locator('#lookup-summary').getAttribute('data-view'), { timeout: SEEN_MS }).toBe('3');
    expect(await page.locator('#lookup-summary').getAttribute('class')).toBe('current');
    expect(await page.locator('#lookup-events tbody tr').count()).toBe(3);
  });

  it('starts a rebuild from the page, shows its progress, and shows it ended', async () => {
    // Enough streams for more batches than a rebuild writes at once (four, ADR 0047): the first
    // batches pass, and the gate holds the later ones once some progress is reported.
    for (let i = 0; i < 30; i++) await openWithDeposit(newId('reb'), 10 + i);
    const accounts = page.locator('#projection-table tr[data-projection="accounts"]');
    const state = accounts.locator('.rebuild-state');
    const progress = accounts.locator('progress');
    service.gate.arm();
    await accounts.locator('button', { hasText: 'Rebuild' }).click();

    // Held half way by the test: the page shows it running, part of the log replayed.
    await expect.poll(() => state.getAttribute('data-state'), { timeout: SEEN_MS }).toBe('running');
    await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: SEEN_MS }).toBeGreaterThan(0);
    const max = Number(await progress.getAttribute('max'));
    expect(Number(await progress.getAttribute('value'))).toBeLessThan(max);
    expect(await accounts.locator('td').nth(4).textContent()).toBe('0 → 1');
    expect(await accounts.locator('button', { hasText: 'Rebuild' }).isDisabled()).toBe(true);

    service.gate.release();
    await expect.poll(() => state.getAttribute('data-state'), { timeout: SEEN_MS }).toBe('completed');
    await expect.poll(() => accounts.locator('td').nth(4).textContent(), { timeout: SEEN_MS }).toBe('1');
    expect(Number(await progress.getAttribute('value'))).toBe(Number(await progress.getAttribute('max')));
    expect(pageErrors).toEqual([]);
  });
});
