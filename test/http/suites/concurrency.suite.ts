import { afterEach, describe, expect, it } from 'vitest';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { expectProblem, openAccount, post, readAccount } from '../support/requests.js';

export const concurrencySuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`concurrent commands over HTTP (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('serializes 50 concurrent withdrawals: floor(balance/amount) succeed with distinct versions, the rest 422', async () => {
      const { http } = await fixture.start();
      const balance = 1000;
      const amount = 30;
      const { accountId } = await openAccount(http, { balance });
      const responses = await Promise.all(Array.from({ length: 50 }, () => post(http, `/accounts/${accountId}/withdrawals`, { amount })));
      const accepted = responses.filter((r) => r.statusCode === 200);
      const refused = responses.filter((r) => r.statusCode !== 200);
      expect(accepted).toHaveLength(Math.floor(balance / amount));
      for (const response of refused) expectProblem(response, 422, '/problems/insufficient-funds');
      const versions = accepted.map((r) => r.json<{ version: number }>().version).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: accepted.length }, (_, i) => i + 3));
      for (const response of accepted) expect(response.headers['etag']).toBe(`"${response.json<{ version: number }>().version}"`);
      expect(await readAccount(http, accountId, 2 + accepted.length)).toMatchObject({ balance: balance % amount });
    });

    it('gives each of many concurrent deposits its own version, no client sees a conflict', async () => {
      const { http } = await fixture.start();
      const { accountId } = await openAccount(http);
      const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => post(http, `/accounts/${accountId}/deposits`, { amount: i + 1 })));
      expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
      const versions = new Set(responses.map((r) => r.json<{ version: number }>().version));
      expect(versions.size).toBe(40);
      expect(await readAccount(http, accountId, 41)).toMatchObject({ balance: (40 * 41) / 2 });
    });
  });
};
