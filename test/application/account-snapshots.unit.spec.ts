import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import { createMemoryApp, testApplicationOptions } from '../support/memory-app.js';
import { SequentialIds } from '../support/sequential-ids.js';
import { composeTestApplication } from '../support/test-composition.js';

describe('account snapshots saved every few versions (ADR 0028)', () => {
  it('are saved once the stored one is 16 versions behind, also after a catch-up, and another process decides on the log, not on them', async () => {
    const { app, backend, clock } = createMemoryApp();
    expect(testApplicationOptions().accountSnapshotEvery).toBe(16);
    await app.accounts.open({ accountId: 'acc', owner: 'o', currency: 'KRW' });
    for (let i = 0; i < 20; i++) await app.accounts.deposit('acc', 10);
    // Version 21 in the log; the snapshot was last due at 16.
    expect((await backend.accountSnapshots.get('acc'))?.version).toBe(16);
    expect((await backend.eventLog.read('account', 'acc', 17)).map((e) => e.version)).toEqual([17, 18, 19, 20, 21]);

    // Another process over the same backend starts from the snapshot (balance 150) and must not refuse
    // what the log allows, nor allow what it refuses.
    const other = composeTestApplication(backend, { clock, ids: new SequentialIds('other'), pause: () => Promise.resolve() });
    expect((await other.accounts.withdraw('acc', 200)).version).toBe(22);
    await expect(other.accounts.withdraw('acc', 1)).rejects.toSatisfy((e) => e instanceof DomainError && e.code === 'ACCOUNT.INSUFFICIENT_FUNDS');
    // Its catch-up read the log; the snapshot, 6 versions behind, is not due and is not written.
    expect((await backend.accountSnapshots.get('acc'))?.version).toBe(16);
    // It is written once 16 versions behind: at version 32.
    for (let version = 23; version <= 31; version++) expect((await other.accounts.deposit('acc', 10)).version).toBe(version);
    expect((await backend.accountSnapshots.get('acc'))?.version).toBe(16);
    expect((await other.accounts.deposit('acc', 10)).version).toBe(32);
    expect((await backend.accountSnapshots.get('acc'))?.version).toBe(32);
  });
});
