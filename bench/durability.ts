/**
 * npm run bench:durability [-- --events 100000]
 *
 * The costs of durability on one local member writing through to PostgreSQL:
 * - commands/s with write-through (32 concurrent clients of the application, 1000 accounts);
 * - a full cluster restart with N events in PostgreSQL: time until the member has loaded the log,
 *   until `/ready`, until the first right answer and until the rebuilt views hold every account at
 *   its last version, and what the queries answered meanwhile (ADR 0030);
 * - a projection rebuild of those N events: events/s.
 * The log for the restart is written straight into PostgreSQL by SQL, as the MapStore writes it.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application } from '../src/application/application.js';
import { silentLogger } from '../src/application/ports/logger.port.js';
import { createHazelcastBackend } from '../src/adapters/hazelcast/hazelcast-backend.js';
import { RandomIdGenerator } from '../src/adapters/system/random-id-generator.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { defaultApplicationOptions } from '../src/composition/defaults.js';
import { writeSection } from './report.js';
import * as cluster from '../tools/cluster.js';
import * as db from '../tools/db.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const eventsArg = process.argv.indexOf('--events');
const EVENTS = eventsArg > 0 ? Number(process.argv[eventsArg + 1]) : 100_000;
const ACCOUNTS = 1_000;
const settings = { ...db.pgSettings(), database: process.env['HZCQRS_BENCH_PGDATABASE'] ?? 'hzcqrs_bench' };
const stateDir = '.hazelcast/bench-durability';

const connect = async (addresses: readonly string[], namespace: string) => {
  const clock = new SystemClock();
  const backend = await createHazelcastBackend(clock, {
    members: addresses,
    clusterName: 'hzcqrs-bench-durability',
    shardCount: 8,
    namespace,
    connectTimeoutMs: 60_000,
    invocationTimeoutMs: 120_000,
    nearCache: true,
  });
  const app = new Application(backend.ports, clock, new RandomIdGenerator(), silentLogger, defaultApplicationOptions('bench'));
  return { backend, app };
};

const seconds = (fromMs: number): number => Math.round((performance.now() - fromMs) / 10) / 100;

const main = async (): Promise<void> => {
  await cluster.stopCluster(stateDir);
  const start = () =>
    cluster.startCluster({ members: 1, basePort: 5971, clusterName: 'hzcqrs-bench-durability', stateDir, persistence: { settings }, heap: ['-Xms1g', '-Xmx4g'] });
  let members = await start();
  const run = Date.now().toString(36);
  const lines: string[] = [];
  try {
    // 1. Commands with write-through.
    const writeNs = `hzcqrs-bench-write-${run}`;
    const writer = await connect(members.addresses, writeNs);
    await writer.app.start();
    for (let i = 0; i < ACCOUNTS; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => writer.app.accounts.open({ accountId: `a${i + j}`, owner: 'o', currency: 'KRW' })));
    }
    const commands = 5_000;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < commands) {
          next++;
          await writer.app.accounts.deposit(`a${Math.floor(Math.random() * ACCOUNTS)}`, 1);
        }
      }),
    );
    const writeSeconds = (performance.now() - started) / 1000;
    lines.push(`| commands with write-through (32 clients) | ${Math.round(commands / writeSeconds).toLocaleString('en-US')} commands/s (${commands} in ${writeSeconds.toFixed(2)} s) |`);
    await writer.app.stop();
    await writer.backend.close();

    // 2. A full restart with EVENTS events in PostgreSQL.
    const restartNs = `hzcqrs-bench-restart-${run}`;
    const perAccount = Math.floor(EVENTS / ACCOUNTS);
    await db.query(
      settings,
      `insert into events (namespace, aggregate_type, aggregate_id, version, event_id, event_type, occurred_at, recorded_at_ms, payload)
       select $1, 'account', 'r' || a, v, 'e' || a || '-' || v,
              case when v = 1 then 'AccountOpened' else 'MoneyDeposited' end,
              to_timestamp((extract(epoch from now()) * 1000 - 3600000 + a * 10 + v) / 1000.0),
              (extract(epoch from now()) * 1000 - 3600000 + a * 10 + v)::bigint,
              case when v = 1 then '{"owner":"o","currency":"KRW"}'::jsonb else '{"amount":1}'::jsonb end
       from generate_series(0, $2 - 1) a, generate_series(1, $3) v`,
      [restartNs, ACCOUNTS, perAccount],
    );
    const total = ACCOUNTS * perAccount;
    await members.stop();
    const restartStarted = performance.now();
    members = await start();
    const membersUp = seconds(restartStarted);
    const reader = await connect(members.addresses, restartNs);
    const logLoaded = seconds(restartStarted);
    const count = await reader.backend.ports.eventLog.count();
    await reader.app.start();
    const lastId = `r${ACCOUNTS - 1}`;
    // Every account asked through the queries, round after round, while the views are replayed:
    // each answer is right (the account's newest version: r<a> at version v holds v - 1), older
    // than the newest (wrong for a service that had shown the newest before the restart), "no such
    // account" (wrong), or an explicit 503.
    const answers = { newest: 0, older: 0, notFound: 0, lagging: 0, other: 0 };
    let readyAt: number | undefined;
    let firstRightAt: number | undefined;
    for (;;) {
      if (readyAt === undefined && reader.app.readiness().ready) readyAt = seconds(restartStarted);
      for (let a = 0; a < ACCOUNTS; a += 100) {
        await Promise.all(
          Array.from({ length: 100 }, async (_, j) => {
            try {
              const view = await reader.app.accountQueries.get(`r${a + j}`);
              if (view.version === perAccount && view.balance === perAccount - 1) {
                answers.newest++;
                firstRightAt ??= seconds(restartStarted);
              } else if (view.balance === view.version - 1) answers.older++;
              else answers.other++;
            } catch (error) {
              const code = (error as { code?: string }).code;
              if (code === 'ACCOUNT.NOT_FOUND') answers.notFound++;
              else if (code === 'READ_MODEL.LAGGING') answers.lagging++;
              else answers.other++;
            }
          }),
        );
      }
      const views = await Promise.all(Array.from({ length: ACCOUNTS }, (_, a) => reader.backend.ports.accountViews.get(`r${a}`, { fresh: true })));
      if (views.every((v) => v?.version === perAccount) && readyAt !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const viewsRebuilt = seconds(restartStarted);
    lines.push(
      `| full restart, ${total.toLocaleString('en-US')} events in PostgreSQL | members ready ${membersUp} s; event log loaded (${count.toLocaleString('en-US')} entries) ${logLoaded} s; \`/ready\` ${readyAt} s; first right answer ${firstRightAt ?? '-'} s; every view rebuilt ${viewsRebuilt} s (last account ${lastId}) |`,
      `| answers during that restart (every account, round after round) | ${answers.newest} newest, ${answers.lagging} 503 read-model-lagging; wrong: ${answers.notFound} "no such account", ${answers.older} older than the newest, ${answers.other} other |`,
    );

    // 3. A rebuild of the accounts projection over the same log.
    const rebuilt = await reader.app.rebuilder.rebuild('accounts');
    const rebuildSeconds = (Date.parse(rebuilt.finishedAt ?? new Date().toISOString()) - Date.parse(rebuilt.startedAt)) / 1000;
    lines.push(
      `| rebuild of accounts, ${rebuilt.replayed.toLocaleString('en-US')} events | ${Math.round(rebuilt.replayed / rebuildSeconds).toLocaleString('en-US')} events/s (${rebuildSeconds.toFixed(2)} s, ${rebuilt.state}) |`,
    );
    await reader.app.stop();
    await reader.backend.close();
  } finally {
    await members.stop();
  }
  const cpus = os.cpus();
  const report = `## Durability: write-through, full restart, rebuild

Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:durability\` on ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, Node ${process.version}, one member writing through to PostgreSQL on the same machine (the member, PostgreSQL and the benchmark share the two cores).

| measurement | result |
|---|---|
${lines.join('\n')}
`;
  process.stdout.write(report);
  writeSection(path.join(ROOT, 'docs/benchmarks.md'), 'durability', report);
};

await main();
process.exit(0);
