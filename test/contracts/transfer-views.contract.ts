import { describe } from 'vitest';
import type { TransferView, TransferViews } from '../../src/domain/ports/read-model.port.js';
import { useSubject, type ContractSubject } from './contract-support.js';
import { versionedViewsTests } from './versioned-views.contract.js';

export interface TransferViewsSubject extends ContractSubject {
  readonly views: TransferViews;
  /** The same views through another instance of the adapter (see VersionedViewsSubject). */
  readonly peer?: TransferViews;
}

const viewOf = (transferId: string, version: number, tag: number): TransferView => ({
  transferId,
  from: `${transferId}-from`,
  to: `${transferId}-to`,
  amount: tag % 3 === 0 ? 1_000_000_000_000 : tag + 1,
  status: tag % 3 === 0 ? 'pending' : tag % 3 === 1 ? 'completed' : 'failed',
  // `reason` is optional: present on some views and absent (not undefined) on others.
  ...(tag % 3 === 2 ? { reason: `destination-account-closed ${tag}` } : {}),
  version,
  requestedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + tag).toISOString(),
});

/** Transfer views: the versioned-views contract over transfers. */
export function transferViewsContract(name: string, factory: () => Promise<TransferViewsSubject>): void {
  describe(`TransferViews contract: ${name}`, () => {
    versionedViewsTests(useSubject(factory), viewOf);
  });
}
