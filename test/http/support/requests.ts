import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { eventually } from '../../support/eventually.js';

export type Headers = Record<string, string>;

let counter = 0;
const run = Math.random().toString(36).slice(2, 8);

/** An id no other test (or run, on a shared backend) uses. */
export const uniqueId = (label: string): string => `${label}-${run}-${(counter++).toString(36)}`;

export const post = async (http: FastifyInstance, url: string, body?: unknown, headers: Headers = {}): Promise<LightMyRequestResponse> =>
  http.inject({
    method: 'POST',
    url,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

export const postRaw = async (http: FastifyInstance, url: string, payload: string | Buffer, headers: Headers): Promise<LightMyRequestResponse> =>
  http.inject({ method: 'POST', url, headers, payload });

export const get = async (http: FastifyInstance, url: string, headers: Headers = {}): Promise<LightMyRequestResponse> =>
  http.inject({ method: 'GET', url, headers });

/** Asserts an RFC 9457 answer of this status and type, and that it gives nothing of the server away. */
export const expectProblem = (response: LightMyRequestResponse, status: number, type: string): Record<string, unknown> => {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<Record<string, unknown>>();
  expect(body).toMatchObject({ type, status, title: expect.any(String), detail: expect.any(String) });
  expect(response.body).not.toMatch(/stack|\.ts:\d+|node_modules|at [\w.]+ \(/);
  return body;
};

export const expectStatus = (response: LightMyRequestResponse, status: number): void => {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
};

export const openAccount = async (
  http: FastifyInstance,
  options: { readonly accountId?: string; readonly owner?: string; readonly currency?: string; readonly balance?: number } = {},
): Promise<{ accountId: string; version: number }> => {
  const accountId = options.accountId ?? uniqueId('acc');
  const opened = await post(http, '/accounts', {
    accountId,
    owner: options.owner ?? 'Ann',
    ...(options.currency ? { currency: options.currency } : {}),
  });
  expectStatus(opened, 201);
  if (!options.balance) return { accountId, version: 1 };
  const deposited = await post(http, `/accounts/${accountId}/deposits`, { amount: options.balance });
  expectStatus(deposited, 200);
  return { accountId, version: 2 };
};

/** The account once the read model holds `minVersion`. */
export const readAccount = async (http: FastifyInstance, accountId: string, minVersion = 1): Promise<Record<string, unknown>> => {
  const response = await get(http, `/accounts/${accountId}?minVersion=${minVersion}&waitMs=5000`);
  expectStatus(response, 200);
  return response.json();
};

/** Polls the transfer (the event loop runs between polls, no fixed sleep) until it has ended. */
export const settledTransfer = async (http: FastifyInstance, transferId: string): Promise<Record<string, unknown>> => {
  let last: Record<string, unknown> = {};
  await eventually(
    async () => {
      const response = await get(http, `/transfers/${transferId}`);
      if (response.statusCode !== 200) return false;
      last = response.json();
      return last['status'] !== 'pending';
    },
    { message: `transfer ${transferId} did not end` },
  );
  return last;
};
