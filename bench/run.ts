/**
 * npm run bench               quick mode, about two minutes: one trial, 1 s per measurement
 * npm run bench -- --full     full mode: 3 trials, 6 s per measurement
 * npm run bench -- --only=hello,hz1,baseline-share   a subset (keys below); the main section is not written
 * npm run bench -- --only=banking,batch                the online banking and end-of-day scenarios alone
 * BENCH_SEED=7 npm run bench                            the seed of every random choice (printed)
 * npm run bench -- --instance=b --base-port=6951       beside another run: own clusters, ports, databases
 *
 * The claim hzcqrs exists for, measured side by side in one run on this machine: with the read and
 * write models separated, queries stay fast while writes are heavy, where one shared relational
 * model with SELECT ... FOR UPDATE makes them wait. Systems: the Fastify hello-world ceiling, the
 * single-model baseline (bench/baseline) with plain and with FOR SHARE reads, hzcqrs on one
 * Hazelcast member (Near Cache on and off, and in one process), on three members, and on the
 * memory backend. Trials are interleaved, each starting its servers afresh; medians with min–max.
 * Writes docs/benchmarks.md and docs/benchmark-ratio.svg.
 *
 * Then the banking scenarios (bench/banking), the baseline against hzcqrs on one member: online
 * banking (key `banking`: deposits only, deposits with transfers on one and on two processes and
 * on three members, a burst of transfers, transfers at half rate followed until they end) and the
 * end-of-day job during online traffic (key `batch`). 3 s per run in quick mode (about two more
 * minutes), 10 s in full mode, or --banking-seconds=N. Each writes its own section of the page.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './deployments.js';
import { writeSection } from './report.js';
import { renderEndOfDay, renderOnline } from './banking/render.js';
import { runBankingScenarios, type BankingResults } from './banking/run-scenarios.js';
import { measure, settle } from './measure.js';
import { chart, render, type SystemResult, type Trial } from './render.js';
import { BANKING, COMMAND, INSTANCE, ONLY, SETTINGS, wanted } from './settings.js';
import { createSystems } from './systems.js';
import * as db from '../tools/db.js';


const main = async (): Promise<void> => {
  const startedMs = Date.now();
  const pgBaseline = { ...db.pgSettings(), database: `hzcqrs_baseline${INSTANCE.suffix('_')}` };
  const pgMembers = { ...db.pgSettings(), database: `hzcqrs_bench${INSTANCE.suffix('_')}` };
  await db.migrate(pgBaseline);
  await db.migrate(pgMembers);
  // Earlier runs' rows are of no use: the members' write-through starts on empty tables.
  await db.query(pgMembers, 'truncate events, idempotency_records');

  const { systems, startBaseline, startHzcqrs, close } = createSystems(pgMembers, pgBaseline, Date.now().toString(36));
  const results = new Map<string, Trial[]>(systems.map((s) => [s.key, []]));
  let banking: BankingResults | undefined;
  try {
    // Trials interleaved: every other trial runs the systems in reverse order.
    for (let t = 0; t < SETTINGS.trials; t++) {
      for (const system of t % 2 === 0 ? systems : [...systems].reverse()) {
        const startMs = Date.now();
        const d = await system.start(t);
        const measureMs = Date.now();
        try {
          results.get(system.key)!.push(await measure(system, d, t));
          const s = (from: number, to: number): string => ((to - from) / 1000).toFixed(1);
          process.stderr.write(`bench: trial ${t + 1}/${SETTINGS.trials} ${system.name} done (start ${s(startMs, measureMs)} s, measure ${s(measureMs, Date.now())} s)\n`);
        } finally {
          await d.stop();
        }
      }
    }
    if (wanted('banking') || wanted('batch')) {
      process.stderr.write(`bench: banking scenarios, seed ${BANKING.seed}\n`);
      banking = await runBankingScenarios(
        {
          baseline: (key, processes) => startBaseline(key, 'none', false, processes, false),
          hzcqrs: (key, members, processes) => startHzcqrs(key, 0, members, processes === 2),
          settle,
        },
        BANKING,
        { online: wanted('banking'), endOfDay: wanted('batch') },
      );
    }
  } finally {
    await close();
  }

  const page = path.join(ROOT, 'docs/benchmarks.md');
  if (systems.length > 0) {
    const rows: SystemResult[] = systems.map((s) => ({ key: s.key, name: s.name, trials: results.get(s.key)! }));
    const report = render(rows, { ...SETTINGS, command: COMMAND, machine: machine() });
    process.stdout.write(report);
    if (!ONLY) {
      writeSection(page, 'bench', report);
      writeFileSync(path.join(ROOT, 'docs/benchmark-ratio.svg'), chart(rows.filter((r) => r.trials[0]?.loaded)));
    }
  }
  // A banking scenario always runs whole when selected: its section is written whenever it ran.
  if (banking && wanted('banking')) {
    const section = renderOnline(banking, { ...BANKING, command: COMMAND });
    process.stdout.write(`\n${section}`);
    writeSection(page, 'banking', section);
  }
  if (banking && wanted('batch')) {
    const section = renderEndOfDay(banking, { ...BANKING, command: COMMAND });
    process.stdout.write(`\n${section}`);
    writeSection(page, 'batch', section);
  }
  process.stderr.write(`bench: finished in ${Math.round((Date.now() - startedMs) / 1000)} s\n`);
};

const machine = (): string => {
  const cpus = os.cpus();
  // java -version prints on stderr.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0]?.trim() || 'Java';
  const pg = (() => {
    try {
      return execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      return 'PostgreSQL';
    }
  })();
  return `${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; ${java}; ${pg}`;
};

await main();
process.exit(0);
