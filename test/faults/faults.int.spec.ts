import { describe, expect, it, onTestFailed } from 'vitest';
import { runHarness } from '../../faults/harness.js';
import { TEST_SEED } from '../support/seeded-random.js';

/**
 * The short version of `npm run faults`: two faults, a short load. The full run and its table are
 * in docs/reliability.md.
 */
describe('under faults', () => {
  it('loses nothing, applies nothing twice, conserves money and converges', async () => {
    // What the harness did, and when: printed when the test fails, a timeout included.
    const lines: string[] = [];
    onTestFailed(() => console.log(`the fault run's progress:\n${lines.join('\n')}`));
    const results = await runHarness({
      faults: ['kill-member', 'postgres-restart'],
      loadMs: 6_000,
      clients: 8,
      accounts: 10,
      outageMs: 3_000,
      convergeWithinMs: 60_000,
      seed: TEST_SEED,
      log: (line) => lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`),
    });
    for (const result of results) {
      expect(result, result.fault).toMatchObject({ lost: 0, duplicated: 0, negativeBalances: 0, unbalancedTransfers: 0, unfinishedTransfers: 0 });
      expect(result.acknowledged, result.fault).toBeGreaterThan(20);
      expect(result.convergedMs, result.fault).not.toBeNull();
    }
  }, 420_000); // about 90 s alone; a loaded machine once took over 240 s (the progress says where)
});
