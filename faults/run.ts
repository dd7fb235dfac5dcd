/**
 * npm run faults [-- --quick] [-- --only=kill-member,postgres-restart]
 *
 * Runs every fault of the harness one at a time against a three-member cluster and two service
 * instances under load, and writes the tables to docs/reliability.md. With --only the rows of the
 * faults not run are kept as they were.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../tools/root.js';
import { ALL_FAULTS, runHarness, type FaultName, type FaultResult } from './harness.js';

const DOC = path.join(ROOT, 'docs/reliability.md');
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const faults = onlyArg ? (onlyArg.slice('--only='.length).split(',') as FaultName[]) : ALL_FAULTS;
const unknown = faults.filter((f) => !ALL_FAULTS.includes(f));
if (unknown.length > 0) {
  process.stderr.write(`faults: unknown fault ${unknown.join(', ')}; known: ${ALL_FAULTS.join(', ')}\n`);
  process.exit(2);
}
const seed = Number(process.env['FAULTS_SEED'] ?? 11);

const options = {
  faults,
  loadMs: quick ? 12_000 : 45_000,
  clients: 16,
  accounts: 20,
  outageMs: quick ? 6_000 : 20_000,
  longOutageMs: quick ? 20_000 : 120_000,
  convergeWithinMs: 90_000,
  seed,
  log: (line: string) => process.stderr.write(`faults: ${line}\n`),
};

const results = await runHarness(options);
const seconds = (ms: number | null, digits = 1): string => (ms === null ? 'did not converge' : `${(ms / 1000).toFixed(digits)} s`);
const mainRow = (r: FaultResult): string =>
  `| ${r.fault} | ${r.notes} | ${r.load} | ${r.acknowledged} | ${r.lost} | ${r.duplicated} | ${r.negativeBalances} | ${r.unbalancedTransfers} | ${r.unfinishedTransfers} | ${seconds(r.convergedMs)} | ${r.clientErrors} |`;
const outageRow = (r: FaultResult): string => {
  const o = r.outage!;
  return `| ${r.fault} | ${o.answered} | ${o.unavailableWithRetryAfter} | ${o.otherAnswers} | ${o.unanswered} | ${o.p99AnswerMs} ms | ${o.maxAnswerMs} ms | ${o.heapBeforeMb} → ${o.maxHeapMb} MB | ${o.rssBeforeMb} → ${o.maxRssMb} MB | ${o.recoveredMs === null ? 'no write acknowledged' : seconds(o.recoveredMs, 2)} |`;
};

const SPLIT_HEADING = '## Split brain';
const previousText = onlyArg && existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
/** The text of the page between a heading and the next one. */
const sectionOf = (text: string, heading: string): string => text.split(heading)[1]?.split('\n## ')[0] ?? '';

/** The rows of the faults not run this time, as the page has them. */
const previousRows = (table: 'main' | 'outage'): Map<string, string> => {
  const rows = new Map<string, string>();
  if (!previousText) return rows;
  const text = previousText;
  const section = table === 'main' ? text.split('## Long outages')[0]! : sectionOf(text, '## Long outages');
  for (const line of section.split('\n')) {
    const fault = /^\| ([a-z-]+) \|/.exec(line)?.[1];
    if (fault && ALL_FAULTS.includes(fault as FaultName)) rows.set(fault, line);
  }
  return rows;
};
const merged = (table: 'main' | 'outage', row: (r: FaultResult) => string, include: (r: FaultResult) => boolean): string => {
  const rows = previousRows(table);
  for (const r of results.filter(include)) rows.set(r.fault, row(r));
  return ALL_FAULTS.filter((f) => rows.has(f))
    .map((f) => rows.get(f)!)
    .join('\n');
};
const mainTable = merged('main', mainRow, () => true);
const outageTable = merged('outage', outageRow, (r) => r.outage !== undefined);
const splitResult = results.find((r) => r.split !== undefined);
const sideRow = (r: FaultResult, side: 'majority' | 'minority'): string => {
  const s = r.split![side];
  const who = side === 'majority' ? 'majority: members 0 and 1, instance 0' : 'minority: member 2, instance 1';
  return `| ${who} | ${s.acknowledged} | ${s.unavailable} | ${s.other} | ${s.unanswered} | ${s.reads} |`;
};
const splitTables = splitResult
  ? `| side | acknowledged | 503 + Retry-After | other answers | unanswered | view reads |
|---|---:|---:|---|---:|---|
${sideRow(splitResult, 'majority')}
${sideRow(splitResult, 'minority')}

| two clusters | merged | split-brain protection | commands at another version | views read | views not in the log | cluster lacks | cluster adds | cluster differs |
|---:|---:|---|---:|---:|---:|---:|---:|---:|
| ${seconds(splitResult.split!.formedMs)} | ${seconds(splitResult.split!.mergedMs)} | ${splitResult.split!.protection} | ${splitResult.split!.commandsAtAnotherVersion} | ${splitResult.split!.viewsRead} | ${splitResult.split!.viewsNotInLog} | ${splitResult.split!.clusterMissing} | ${splitResult.split!.clusterExtra} | ${splitResult.split!.clusterDifferent} |`
  : (/\n(\| side \|[\s\S]*?\|)\n\n*$/.exec(sectionOf(previousText, SPLIT_HEADING))?.[1] ?? '(not run yet)');
const cpus = os.cpus();
writeFileSync(
  DOC,
  `# Reliability under faults

Measured ${new Date().toISOString().slice(0, 10)} by \`npm run faults${quick ? ' -- --quick' : ''}${onlyArg ? ` -- ${onlyArg}` : ''}\` (seed ${seed}) on ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}${
    onlyArg ? '\n(the rows of the other faults are from an earlier run, kept as they were)' : ''
  }:
three Hazelcast members writing through to PostgreSQL (through a proxy the harness can cut), two
service instances (\`node dist/src/main.js\`, BACKEND=hazelcast), ${options.clients} concurrent
clients sending deposits, withdrawals and transfers with an Idempotency-Key each and retrying a
5xx or a broken connection with the same key on the other instance. One fault per phase, injected a
third of the way into the load; each phase uses a namespace of its own.

After each phase the checker reads the event log from PostgreSQL and checks:

- **lost**: acknowledged commands (2xx) not in the log. Must be 0.
- **duplicated**: commands in the log more than once, or refused (4xx) yet in the log. Must be 0.
- **negative**: accounts whose balance went below 0 at any version of the log. Must be 0.
- **unbalanced**: accepted transfers whose debit is not matched by exactly one credit or refund,
  or one of whose steps an account decided twice (applied and declined, or declined twice: ADR 0029).
- **unfinished**: accepted transfers that did not end completed or failed.
- **converged**: time after the load until every account view on both instances equals the fold
  of the log and every transfer has ended; the bound is ${options.convergeWithinMs / 1000} s.
- **client errors**: 5xx answers and broken connections the clients saw (each then retried).

| fault | what was done | load | acknowledged | lost | duplicated | negative | unbalanced | unfinished | converged | client errors |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
${mainTable}

## Long outages

The whole cluster, or PostgreSQL, away for ${options.longOutageMs / 1000} s while the clients keep sending (the load runs
that much longer). Every request is answered at once, not after a timeout: a 503
\`/problems/unavailable\` with \`Retry-After\` (ADR 0031), or one of the other answers below.

- **answered**: requests sent while the dependency was away that got an answer; **503 + Retry-After**
  how many of those were; **other answers** the rest by status (a 409 \`/problems/request-in-flight\`
  would be the retry of a request whose in-flight lease could not be ended: ADR 0031);
  **unanswered**: no answer within the client's 15 s, or a broken connection.
- **p99 / max answer**: time to the answer of a request sent while the dependency was away.
- **heap / RSS**: the largest used V8 heap and resident set of either service instance, before the
  outage → from its start to the end of the load (sampled every second).
- **recovered**: from the dependency's return (PostgreSQL reachable again; the first restarted
  member ready) until the first acknowledged write.

| fault | answered | 503 + Retry-After | other answers | unanswered | p99 answer | max answer | heap | RSS | recovered |
|---|---:|---:|---|---:|---:|---:|---:|---:|---:|
${outageTable}

${SPLIT_HEADING}

The \`split-brain\` row above: its own cluster of three members, each on a loopback address of its
own (127.0.0.2, .3, .4), cut by nftables into a majority (members 0 and 1, with instance 0) and a
minority (member 2, with instance 1) until both sides have formed a cluster of their own and for
${options.outageMs / 1000} s more, then healed; the load goes on until a third of the load time after the merge.
Each client sends to the instance of its side first (half the clients each), retries elsewhere
as before, and reads an account view one request in five. Failure detection and merge are made
fast for the run (6 s without heartbeat, a merge attempt every 5 s): ADR 0035.

- **acknowledged / 503 / other / unanswered**: what each side's instance answered to commands sent
  while the sides were apart (from the cut until the merge). Among the other answers, 400 is a
  transfer the load drew to its own account, 409 \`/problems/request-in-flight\` the retry of a
  command whose first attempt still held its key (ADR 0031); **view reads**: the instance's
  answers to \`GET /accounts/{id}\` by status.
- **split-brain protection**: \`on\`, a member seeing fewer than two of the three refuses every map
  operation (503 + Retry-After to the client), as configured; \`off\` only in a run with
  \`HZCQRS_FAULTS_SPLIT_PROTECTION=off\`, to see the cluster without it.
- **two clusters**: from the cut until the members reported cluster sizes 2, 2 and 1; **merged**:
  from the heal until all three reported 3.
- **commands at another version**: acknowledged deposits and withdrawals whose answered version
  holds another event in PostgreSQL's log; **views not in the log**: views read whose balance is not
  the log's at the version they state. Both must be 0: a version given to two events anywhere a
  client saw it.
- **cluster lacks / adds / differs**: the merged cluster's event log against PostgreSQL's, entry by
  entry (stream, version, event id). All must be 0.

${splitTables}

## Queries across a full cluster restart

Not a phase of the fault run (it restarts every member, and the run's checker reads the write
side): \`test/hazelcast/durability.int.spec.ts\` asks every account through the queries, round after
round, while both members are stopped and started again, and checks each answer against the fold
of the log at the version it states and against the versions answered before. The rule it holds
(ADR 0030): a view or an explicit 503 (\`read-model-lagging\` while the views are replayed,
\`unavailable\` while the cluster is away), never "no such account" for an account that exists and
never a version below one already answered; once \`/ready\` answers 200, every account answers the
head of its stream. \`npm run bench:durability\` counts the same at 10,000 events: 82,032 "no such
account" answers before this rule, none after (\`docs/benchmarks.md\`).
`,
);
const failed = results.filter(
  (r) =>
    r.lost + r.duplicated + r.negativeBalances + r.unbalancedTransfers + r.unfinishedTransfers > 0 ||
    r.convergedMs === null ||
    (r.split !== undefined &&
      r.split.commandsAtAnotherVersion + r.split.viewsNotInLog + r.split.clusterMissing + r.split.clusterExtra + r.split.clusterDifferent > 0),
);
if (failed.length > 0) process.stderr.write(`faults: failed (seed ${seed}): ${failed.map((r) => r.fault).join(', ')}\n`);
process.stdout.write(`${mainTable}\n\n${outageTable}\n\n${splitTables}\n`);
process.exit(failed.length === 0 ? 0 : 1);
