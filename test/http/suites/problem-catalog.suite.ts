import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { applicationProblems, domainProblems, problemCatalog, problemNames } from '../../../src/adapters/http/problems/problem-catalog.js';
import { ApplicationErrorCodes } from '../../../src/application/ports/application-error.js';
import { transferBody } from '../../../src/adapters/http/views.js';
import { DomainErrorCodes } from '../../../src/domain/shared/domain-error.js';
import { httpFixture, type CreateApplication } from '../support/http-fixture.js';
import { get } from '../support/requests.js';

/** The contract's problem table, as copied into the catalog's doc comment: [status, type] pairs. */
const documentedProblems = (): [number, string][] => {
  const source = readFileSync(new URL('../../../src/adapters/http/problems/problem-catalog.ts', import.meta.url), 'utf8');
  const rows = source
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .filter((line) => /^\| \d/.test(line));
  return rows.flatMap((row) => {
    const [statuses, types] = row.split('|').slice(1, 3).map((cell) => cell.trim());
    const statusList = statuses!.split('/').map((s) => Number(s.trim()));
    const typeList = [...types!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    return typeList.map((type, i): [number, string] => [statusList.length === typeList.length ? statusList[i]! : statusList[0]!, type]);
  });
};

interface ProblemResponse {
  readonly content?: Record<string, { schema: { properties: { type: { enum: string[] }; status: { enum: number[] } } } }>;
}

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ProblemResponse> }>>;
  components: { schemas: { Problem: { properties: { type: { enum: string[] } } } }; responses: Record<string, ProblemResponse> };
}

const problemTypesOf = (response: ProblemResponse) => response.content?.['application/problem+json']?.schema.properties;

export const problemCatalogSuite = (backend: string, createApplication: CreateApplication): void => {
  describe(`problem catalog (${backend})`, () => {
    const fixture = httpFixture(createApplication);
    afterEach(() => fixture.stopAll());

    it('matches the contract table copied into its documentation', () => {
      const documented = documentedProblems();
      expect(documented).toHaveLength(16);
      const catalogued = problemNames
        .filter((name) => name !== 'internal' && name !== 'too-many-requests')
        .map((name): [number, string] => [problemCatalog[name].status, problemCatalog[name].type]);
      const order = (pairs: [number, string][]) => pairs.map(([s, t]) => `${s} ${t}`).sort();
      expect(order(catalogued)).toEqual(order(documented));
      expect(problemCatalog.internal).toMatchObject({ status: 500, type: '/problems/internal' });
      expect(problemCatalog['too-many-requests']).toMatchObject({ status: 429, type: '/problems/too-many-requests' });
    });

    it('maps every domain error code to a catalogued problem', () => {
      for (const code of DomainErrorCodes) expect(problemCatalog[domainProblems[code]], code).toBeDefined();
      expect(Object.keys(domainProblems).sort()).toEqual([...DomainErrorCodes].sort());
    });

    it("maps every one of the application's refusal codes to a catalogued problem, and no code is both", () => {
      for (const code of ApplicationErrorCodes) expect(problemCatalog[applicationProblems[code]], code).toBeDefined();
      expect(Object.keys(applicationProblems).sort()).toEqual([...ApplicationErrorCodes].sort());
      expect(ApplicationErrorCodes.filter((code) => (DomainErrorCodes as readonly string[]).includes(code))).toEqual([]);
    });

    it('lists every problem type in the OpenAPI document, each under its own status', async () => {
      const { http } = await fixture.start();
      const document = (await get(http, '/openapi.json')).json<Document>();
      expect(document.components.schemas.Problem.properties.type.enum.sort()).toEqual(problemNames.map((n) => problemCatalog[n].type).sort());
      const statusOf = new Map<string, number>(problemNames.map((name) => [problemCatalog[name].type, problemCatalog[name].status]));
      const seen = new Set<string>();
      const operationResponses = Object.values(document.paths).flatMap((operations) =>
        Object.values(operations).flatMap((operation) => Object.entries(operation.responses)),
      );
      const sharedResponses = Object.values(document.components.responses).map(
        (response) => [String(problemTypesOf(response)?.status.enum[0]), response] as const,
      );
      for (const [status, response] of [...operationResponses, ...sharedResponses]) {
        for (const type of problemTypesOf(response)?.type.enum ?? []) {
          seen.add(type);
          expect(String(statusOf.get(type)), type).toBe(status);
        }
      }
      expect([...seen].sort()).toEqual([...statusOf.keys()].sort());
    });

    it('shows a transfer reason only once it has failed', () => {
      const view = { transferId: 't', from: 'a', to: 'b', amount: 1, version: 3, requestedAt: 'x', updatedAt: 'y' };
      expect(transferBody({ ...view, status: 'pending', reason: 'destination-account-closed' })).toEqual({
        transferId: 't',
        from: 'a',
        to: 'b',
        amount: 1,
        status: 'pending',
      });
      expect(transferBody({ ...view, status: 'failed', reason: 'destination-account-closed' })).toMatchObject({
        status: 'failed',
        reason: 'destination-account-closed',
      });
    });
  });
};
