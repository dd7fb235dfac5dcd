/**
 * npm run faults [-- --quick] [-- --only kill-member,postgres-restart]
 *
 * Runs every fault of the harness one at a time against a three-member cluster and two service
 * instances under load, and writes the table to docs/reliability.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_FAULTS, runHarness, type FaultName, type FaultResult } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const faults = onlyArg ? (onlyArg.slice('--only='.length).split(',') as FaultName[]) : ALL_FAULTS;
const seed = Number(process.env['FAULTS_SEED'] ?? 11);

const options = {
  faults,
  loadMs: quick ? 12_000 : 45_000,
  clients: 16,
  accounts: 20,
  outageMs: quick ? 6_000 : 20_000,
  convergeWithinMs: 90_000,
  seed,
  log: (line: string) => process.stderr.write(`faults: ${line}\n`),
};

const results = await runHarness(options);
const cell = (value: number | null): string => (value === null ? 'did not converge' : `${(value / 1000).toFixed(1)} s`);
const cpus = os.cpus();
const table = results
  .map(
    (r: FaultResult) =>
      `| ${r.fault} | ${r.notes} | ${r.load} | ${r.acknowledged} | ${r.lost} | ${r.duplicated} | ${r.negativeBalances} | ${r.unbalancedTransfers} | ${r.unfinishedTransfers} | ${cell(r.convergedMs)} | ${r.clientErrors} |`,
  )
  .join('\n');
writeFileSync(
  path.join(ROOT, 'docs/reliability.md'),
  `# Reliability under faults

Measured ${new Date().toISOString().slice(0, 10)} by \`npm run faults${quick ? ' -- --quick' : ''}\` (seed ${seed}) on ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}:
three Hazelcast members writing through to PostgreSQL (through a proxy the harness can cut), two
service instances (\`node dist/src/main.js\`, BACKEND=hazelcast), ${options.clients} concurrent
clients sending deposits, withdrawals and transfers with an Idempotency-Key each and retrying a
5xx or a broken connection with the same key on the other instance. One fault per phase, injected a
third of the way into the load; each phase uses a namespace of its own.

After each phase the checker reads the event log from PostgreSQL and checks:

- **lost**: acknowledged commands (2xx) not in the log. Must be 0.
- **duplicated**: commands in the log more than once, or refused (4xx) yet in the log. Must be 0.
- **negative**: accounts whose balance went below 0 at any version of the log. Must be 0.
- **unbalanced**: accepted transfers whose debit is not matched by exactly one credit or refund.
- **unfinished**: accepted transfers that did not end completed or failed.
- **converged**: time after the load until every account view on both instances equals the fold
  of the log and every transfer has ended; the bound is ${options.convergeWithinMs / 1000} s.
- **client errors**: 5xx answers and broken connections the clients saw (each then retried).

| fault | what was done | load | acknowledged | lost | duplicated | negative | unbalanced | unfinished | converged | client errors |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
${table}
`,
);
const failed = results.filter(
  (r) => r.lost + r.duplicated + r.negativeBalances + r.unbalancedTransfers + r.unfinishedTransfers > 0 || r.convergedMs === null,
);
process.stdout.write(`${table}\n`);
process.exit(failed.length === 0 ? 0 : 1);
