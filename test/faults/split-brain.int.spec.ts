import { execFileSync } from 'node:child_process';
import { describe, expect, it, onTestFailed } from 'vitest';
import { runHarness } from '../../faults/harness.js';
import { TEST_SEED } from '../support/seeded-random.js';

/** The partition is made with nftables, which needs root and `nft` (README, `.ci/run`). */
const canPartition = ((): boolean => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

/**
 * The short version of the split-brain fault (ADR 0035): a majority of two members and a minority
 * of one, each with a service instance taking writes on the same accounts, until both sides have
 * formed clusters; then the merge. The full run and its figures are in docs/reliability.md.
 */
describe.skipIf(!canPartition)('a split brain and its merge', () => {
  it('loses nothing, gives no version to two events, refuses on the minority, and converges', async () => {
    // What the harness did, and when: printed when the test fails, a timeout included.
    const lines: string[] = [];
    onTestFailed(() => console.log(`the fault run's progress:\n${lines.join('\n')}`));
    const [result] = await runHarness({
      faults: ['split-brain'],
      loadMs: 9_000,
      clients: 8,
      accounts: 10,
      // Apart for 10 s after both sides have formed clusters: the minority's member refuses meanwhile,
      // and its instance's client has given up the other side's members (10 s without heartbeat).
      outageMs: 10_000,
      convergeWithinMs: 60_000,
      seed: TEST_SEED,
      log: (line) => lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`),
    });
    const seed = `seed ${TEST_SEED}: ${JSON.stringify(result)}`;
    expect(result, seed).toMatchObject({ lost: 0, duplicated: 0, negativeBalances: 0, unbalancedTransfers: 0, unfinishedTransfers: 0 });
    expect(result!.convergedMs, seed).not.toBeNull();
    expect(result!.split, seed).toMatchObject({ commandsAtAnotherVersion: 0, viewsNotInLog: 0, clusterMissing: 0, clusterExtra: 0, clusterDifferent: 0 });
    // Both sides were apart and answered: the majority acknowledged, the minority refused with 503.
    expect(result!.split!.majority.acknowledged, seed).toBeGreaterThan(0);
    expect(result!.split!.minority.unavailable, seed).toBeGreaterThan(0);
    expect(result!.split!.viewsRead, seed).toBeGreaterThan(0);
  }, 300_000);
});
