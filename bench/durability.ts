/**
 * npm run bench:durability [-- --quick] [--events N] [--accounts M] [--heap 4g|6g] [--base-port P] [--histogram] [--keep-rows] [--no-write]
 *                           [--events-in-memory B]
 *
 * Durability at scale: by default the whole event log held in the members, loaded EAGER from
 * PostgreSQL at start; with `--events-in-memory B` (or HZCQRS_EVENTS_IN_MEMORY) the log bounded
 * to B entries in memory and loaded per stream (ADR 0049). Views rebuilt by the reconciler's replay. With N events over M
 * accounts (default 1,000,000 over 100,000; --quick 50,000 over 5,000) in PostgreSQL:
 * - the member's heap: idle, with the log loaded, after the views were replayed, and under load
 *   (jcmd after a full collection; the member's GC log while work runs; per map, the member's own
 *   statistics);
 * - a full restart: time from the members' start to the log loaded, to `/ready`, to the first
 *   right answer, to the first right list (ADR 0054) and to every view current, and what the
 *   queries and lists answered meanwhile (ADR 0030):
 *   first with no views kept (the whole log replayed), then again with the views and the
 *   watermark the first one left in PostgreSQL (ADR 0050);
 * - commands/s on cold aggregates (the first command of each after the restart) and on warm ones;
 * - a rebuild of the accounts projection (the admin operation behind
 *   POST /admin/projections/accounts/rebuild): events/s; it reads the log from PostgreSQL (ADR 0047);
 * - how fast the service could read the log from PostgreSQL itself (keyset pages over
 *   `events_by_time`): the rate a rebuild reading PostgreSQL would start from.
 * The log is written straight into PostgreSQL by SQL, in the MapStore's rows (bench/durability/seed.ts),
 * not through the API.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Application } from '../src/application/application.js';
import { silentLogger } from '../src/application/ports/logger.port.js';
import { createHazelcastBackend } from '../src/adapters/hazelcast/hazelcast-backend.js';
import { RecordedEventsPostgres } from '../src/adapters/hazelcast/recorded-events.postgres.js';
import { forEachRecordedPage } from '../src/application/projections/recorded-pages.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { loadConfig } from '../src/composition/config.js';
import { composeApplication } from '../src/composition/container.js';
import { defaultApplicationOptions } from '../src/composition/defaults.js';
import { replacing } from '../src/composition/replacing.js';
import { gcLogOptions, heapAfterFullGc, heapBetween, heapHistogram, heapNow, mib, type HeapAfterGc, type HeapUnderLoad } from './durability/member-heap.js';
import { mapCosts, metricsOptions, type MapCost } from './durability/member-metrics.js';
import { seedStatement, seedValues } from './durability/seed.js';
import { writeSection } from './report.js';
import * as cluster from '../tools/cluster.js';
import * as db from '../tools/db.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    events: { type: 'string' },
    accounts: { type: 'string' },
    heap: { type: 'string' },
    'base-port': { type: 'string', default: '5971' },
    'keep-rows': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    histogram: { type: 'boolean', default: false },
    'events-in-memory': { type: 'string' },
  },
});
const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return n;
};
const REQUESTED_EVENTS = positive('events', args.events ?? (args.quick ? '50000' : '1000000'));
// Ten events per account unless told otherwise (`--events 10000` alone: 1,000 accounts, as ADR 0030 measured).
const ACCOUNTS = positive('accounts', args.accounts ?? String(Math.max(1, Math.floor(REQUESTED_EVENTS / 10))));
const PER_ACCOUNT = Math.max(2, Math.floor(REQUESTED_EVENTS / ACCOUNTS));
const EVENTS = ACCOUNTS * PER_ACCOUNT;
const BASE_PORT = positive('base-port', args['base-port']);
/** The event log's bound in memory (ADR 0049), or false for the whole log. */
const EVENTS_IN_MEMORY = args['events-in-memory'] === undefined ? cluster.defaultEventsInMemory() : positive('events-in-memory', args['events-in-memory']);
// Measured: 3.7 GB live after a rebuild at 1,000,000 events (docs/benchmarks.md); 4 GB is plenty below 300,000.
const HEAP = args.heap ?? (REQUESTED_EVENTS > 300_000 ? '6g' : '4g');
/** Accounts asked in each round during the restart, spread over all of them; a round starts at most once a second. */
const SAMPLE = Math.min(ACCOUNTS, 1_000);
const ROUND_MS = 1_000;
/** The page size of the list asked during a restart. */
const LIST_LIMIT = 50;
/** Accounts given their first command after the restart (cold), then one more (warm). */
const COMMANDED = Math.min(ACCOUNTS, 5_000);
const CLIENTS = 32;
const CLUSTER_NAME = 'hzcqrs-bench-durability';
const METRICS_PERIOD_S = 5;

const settings = { ...db.pgSettings(), database: process.env['HZCQRS_BENCH_PGDATABASE'] ?? 'hzcqrs_bench' };
const stateDir = path.join(ROOT, '.hazelcast', `bench-durability-${BASE_PORT}`);
const format = (n: number): string => Math.round(n).toLocaleString('en-US');
const since = (fromMs: number): number => Math.round((performance.now() - fromMs) / 10) / 100;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const progress = (message: string): void => {
  process.stderr.write(`[bench:durability ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const startMembers = () =>
  cluster.startCluster({
    members: 1,
    basePort: BASE_PORT,
    clusterName: CLUSTER_NAME,
    stateDir,
    persistence: { settings },
    heap: ['-Xms256m', `-Xmx${HEAP}`],
    eventsInMemory: EVENTS_IN_MEMORY,
    javaOptions: [...gcLogOptions(stateDir), ...metricsOptions(stateDir, METRICS_PERIOD_S)],
    timeoutMs: 600_000,
  });
type Members = Awaited<ReturnType<typeof startMembers>>;
const pidOf = (members: Members): number => members.members[0]!.pid;

const connect = async (addresses: readonly string[], namespace: string) => {
  const clock = new SystemClock();
  const backend = await createHazelcastBackend(clock, {
    members: addresses,
    clusterName: CLUSTER_NAME,
    shardCount: 8,
    namespace,
    connectTimeoutMs: 600_000,
    invocationTimeoutMs: 600_000,
    nearCache: true,
    postgres: settings,
  });
  // The service's wiring over a client with longer timeouts than the service's own.
  const app = composeApplication(
    loadConfig({ LOG_LEVEL: 'silent' }),
    replacing({ backend, clock, logger: silentLogger, options: defaultApplicationOptions('bench') }),
  );
  return { backend, app };
};

const seed = async (namespace: string): Promise<number> => {
  await db.migrate(settings);
  const client = new pg.Client(settings);
  await client.connect();
  const started = performance.now();
  try {
    const nowMs = Date.now();
    const batch = Math.max(1, Math.floor(100_000 / PER_ACCOUNT));
    for (let from = 0; from < ACCOUNTS; from += batch) {
      await client.query(seedStatement, seedValues(namespace, from, Math.min(ACCOUNTS, from + batch), PER_ACCOUNT, ACCOUNTS, nowMs));
    }
    await client.query('analyze events');
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
};

/** Statistics of the member are written every METRICS_PERIOD_S: wait for a set written after now. */
const costsNow = async (members: Members, namespace: string): Promise<Map<string, MapCost>> => {
  const asked = Date.now();
  await pause((METRICS_PERIOD_S + 1) * 1000);
  return mapCosts(stateDir, members.members[0]!.port, namespace, asked);
};

/**
 * The event log map's size: the member answers once it has loaded the log (EAGER). The port's
 * count reads PostgreSQL (ADR 0047), which would not wait for the load.
 */
const mapSize = async (reader: Awaited<ReturnType<typeof connect>>, namespace: string): Promise<number> =>
  (await reader.backend.connection.client.getMap(`${namespace}.event-log`)).size();

/** Phase A: the members load the log and nothing else runs. */
const loadOnly = async (namespace: string) => {
  const members = await startMembers();
  try {
    const idle = await heapAfterFullGc(pidOf(members));
    const started = performance.now();
    const reader = await connect(members.addresses, namespace);
    const count = await mapSize(reader, namespace);
    const loadSeconds = since(started);
    const loadWindow = heapBetween(stateDir, pidOf(members), Date.now() - loadSeconds * 1000 - 1000, Date.now(), await heapNow(pidOf(members)));
    const withLog = await heapAfterFullGc(pidOf(members));
    const histogram = args.histogram ? await heapHistogram(pidOf(members), 12) : [];
    const costs = await costsNow(members, namespace);
    await reader.backend.close();
    return { idle, withLog, count, loadSeconds, loadWindow, costs, histogram };
  } finally {
    await members.stop();
  }
};

type Answers = { newest: number; older: number; notFound: number; lagging: number; other: number };

/** Phase B: a full restart with the service running, queries asked throughout. */
const restart = async (namespace: string) => {
  const started = performance.now();
  const members = await startMembers();
  const membersUp = since(started);
  const reader = await connect(members.addresses, namespace);
  const connected = since(started);
  const count = await mapSize(reader, namespace);
  const logLoaded = since(started);
  let readyAt: number | undefined;
  let heldAt: number | undefined;
  const readiness = setInterval(() => {
    if (readyAt === undefined && reader.app.readiness().ready) readyAt = since(started);
    if (heldAt === undefined && reader.app.heldViews.known) heldAt = since(started);
  }, 50);
  await reader.app.start();
  const answers: Answers = { newest: 0, older: 0, notFound: 0, lagging: 0, other: 0 };
  let firstRightAt: number | undefined;
  const sample = Array.from({ length: SAMPLE }, (_, i) => `r${Math.floor((i * ACCOUNTS) / SAMPLE)}`);
  const ask = async (id: string): Promise<boolean> => {
    try {
      const view = await reader.app.accountQueries.get(id);
      if (view.version === PER_ACCOUNT && view.balance === PER_ACCOUNT - 1) {
        answers.newest++;
        firstRightAt ??= since(started);
        return true;
      }
      if (view.balance === view.version - 1) answers.older++;
      else answers.other++;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ACCOUNT.NOT_FOUND') answers.notFound++;
      else if (code === 'READ_MODEL.LAGGING') answers.lagging++;
      else answers.other++;
    }
    return false;
  };
  // A list of the first page: answered only once every account view is held (ADR 0054), and then
  // the first ids in code-point order, each at its newest version.
  const firstPage = Array.from({ length: ACCOUNTS }, (_, i) => `r${i}`)
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    .slice(0, LIST_LIMIT);
  const lists = { right: 0, lagging: 0, wrong: 0 };
  let listedAt: number | undefined;
  const askList = async (): Promise<void> => {
    try {
      const page = await reader.app.accountQueries.list({ limit: LIST_LIMIT });
      const right =
        page.items.length === firstPage.length &&
        page.items.every((view, i) => view.accountId === firstPage[i] && view.version === PER_ACCOUNT && view.balance === PER_ACCOUNT - 1);
      if (right) {
        lists.right++;
        listedAt ??= since(started);
      } else lists.wrong++;
    } catch (error) {
      if ((error as { code?: string }).code === 'READ_MODEL.LAGGING') lists.lagging++;
      else lists.wrong++;
    }
  };
  let currentAt: number | undefined;
  let verifySeconds = 0;
  while (currentAt === undefined) {
    const roundStarted = performance.now();
    await askList();
    let right = 0;
    for (let i = 0; i < sample.length; i += 100) {
      const batch = await Promise.all(sample.slice(i, i + 100).map(ask));
      right += batch.filter(Boolean).length;
    }
    if (right < sample.length || readyAt === undefined || listedAt === undefined) {
      await pause(Math.max(50, ROUND_MS - (performance.now() - roundStarted)));
      continue;
    }
    // Every account's view, read past the caches: all at their last version, or ask again.
    const verifyStarted = performance.now();
    let behind = 0;
    for (let a = 0; a < ACCOUNTS; a += 500) {
      const views = await Promise.all(
        Array.from({ length: Math.min(500, ACCOUNTS - a) }, (_, j) => reader.backend.ports.accountViews.get(`r${a + j}`, { fresh: true })),
      );
      behind += views.filter((v) => v?.version !== PER_ACCOUNT).length;
    }
    verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (behind === 0) currentAt = since(started);
  }
  clearInterval(readiness);
  return { members, reader, membersUp, connected, count, logLoaded, readyAt: readyAt!, firstRightAt, heldAt, listedAt, currentAt, verifySeconds, answers, lists };
};

/** The two rows of a restart: its times from the members' start, and what the queries answered meanwhile. */
const restartRows = (row: (measurement: string, result: string) => void, title: string, r: Awaited<ReturnType<typeof restart>>): void => {
  row(
    `${title}, ${format(EVENTS)} events in the log (${format(r.count)} of them in memory)`,
    `from the members' start: members ready ${r.membersUp} s; client connected ${r.connected} s; log loaded ${r.logLoaded} s; \`/ready\` ${r.readyAt} s; first right answer ${r.firstRightAt ?? '-'} s; every account view held ${r.heldAt ?? '-'} s; first right list ${r.listedAt ?? '-'} s; every view current ${r.currentAt} s (checked by reading all ${format(ACCOUNTS)} views, ${r.verifySeconds.toFixed(1)} s of it)`,
  );
  row(
    `answers during that restart (${format(SAMPLE)} accounts asked once a second)`,
    `${format(r.answers.newest)} newest, ${format(r.answers.lagging)} 503 read-model-lagging; wrong: ${r.answers.notFound} "no such account", ${r.answers.older} older than the newest, ${r.answers.other} other`,
  );
  row(
    `lists of the first ${LIST_LIMIT} accounts during that restart (one a second)`,
    `${format(r.lists.right)} right, ${format(r.lists.lagging)} 503 read-model-lagging; wrong: ${r.lists.wrong}`,
  );
};

/** Statements of the event log's MapStore that read PostgreSQL so far (ADR 0049). */
const pgReads = async (reader: Awaited<ReturnType<typeof connect>>, namespace: string): Promise<number> =>
  Number(await (await reader.backend.connection.client.getPNCounter(`${namespace}.event-log.pg-reads`)).get());

/** Phase C: one deposit on each of `ids`, CLIENTS at a time. */
const commands = async (app: Application, ids: readonly string[]): Promise<{ perSecond: number; seconds: number; failed: number }> => {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        await app.accounts.deposit(id, 1).catch(() => failed++);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: ids.length / seconds, seconds, failed };
};

/**
 * Phase E: the log read from PostgreSQL by the service itself: its own reader (ADR 0047), in time
 * order, page after page of 5,000, as a sweep or a replay reads it.
 */
const readFromPostgres = async (namespace: string): Promise<{ perSecond: number; rows: number; seconds: number }> => {
  const reader = RecordedEventsPostgres.open(settings, namespace);
  const started = performance.now();
  let rows = 0;
  try {
    await forEachRecordedPage(reader, 0, Number.MAX_SAFE_INTEGER, 5_000, async (events) => {
      rows += events.length;
    });
  } finally {
    await reader.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: rows / seconds, rows, seconds };
};

const perEntry = (cost: MapCost | undefined): string =>
  cost && cost.entries > 0 ? `${format(cost.entries)} entries, ${mib(cost.ownedBytes)}, ${format(cost.ownedBytes / cost.entries)} B each` : '-';
const loadLine = (heap: HeapUnderLoad): string =>
  `peak ${mib(heap.peakUsedBytes)} used (garbage included), at most ${heap.collections > 0 ? mib(heap.maxAfterCollectionBytes) : '-'} right after a collection (${heap.collections} collections), ${mib(heap.committedBytes)} committed`;
const heapLine = (heap: HeapAfterGc): string => `${mib(heap.usedBytes)} used after a full collection (${mib(heap.committedBytes)} committed)`;

const main = async (): Promise<void> => {
  await cluster.stopCluster(stateDir);
  const run = Date.now().toString(36);
  const namespace = `hzcqrs-bench-scale-${run}`;
  const lines: string[] = [];
  const row = (measurement: string, result: string) => {
    lines.push(`| ${measurement} | ${result} |`);
    progress(`${measurement}: ${result}`);
  };
  progress(`seeding ${format(EVENTS)} events over ${format(ACCOUNTS)} accounts into PostgreSQL (${settings.database}, namespace ${namespace})`);
  const seedSeconds = await seed(namespace);
  row('log written into PostgreSQL by SQL (not through the API)', `${format(EVENTS)} events, ${format(ACCOUNTS)} accounts × ${PER_ACCOUNT}, in ${seedSeconds.toFixed(1)} s`);
  let members: Members | undefined;
  let histogram: string[] = [];
  try {
    progress('phase A: members load the log, nothing else runs');
    const a = await loadOnly(namespace);
    row('member heap, started, no map touched', heapLine(a.idle));
    row(
      EVENTS_IN_MEMORY ? 'log in memory at start (LAZY: nothing loaded)' : 'log loaded (EAGER) with nothing else running',
      `${format(a.count)} entries in ${a.loadSeconds} s from the first client call`,
    );
    row('member heap while loading the log', loadLine(a.loadWindow));
    row('member heap, log loaded', heapLine(a.withLog));
    row('heap per event held (log only)', `${format((a.withLog.usedBytes - a.idle.usedBytes) / EVENTS)} B (heap with the log minus idle heap, over the events)`);
    row('`event-log` map, member statistics', perEntry(a.costs.get('event-log')));
    histogram = a.histogram;

    progress('phase B: full restart with the service running, no views kept yet (the whole log replayed)');
    const b = await restart(namespace);
    members = b.members;
    restartRows(row, 'full restart, no views kept', b);
    const steady = await heapAfterFullGc(pidOf(members));
    row('member heap, log loaded and views replayed', heapLine(steady));
    const costs = await costsNow(members, namespace);
    row('`views.accounts` map, member statistics', perEntry(costs.get('views.accounts')));
    row('`views.transactions` map, member statistics', perEntry(costs.get('views.transactions')));
    row(
      'heap per account beyond the log (views and histories)',
      `${format((steady.usedBytes - a.withLog.usedBytes) / ACCOUNTS)} B (${format((steady.usedBytes - a.withLog.usedBytes) / EVENTS)} B per event)`,
    );

    progress('phase B2: a full restart with the views kept in PostgreSQL (ADR 0050)');
    // The sweeps store the views and then the watermark that vouches for them: wait for one saved
    // after the replay, then stop everything and start again.
    const replayed = Date.now();
    const persistedBy = Date.now() + 120_000;
    while (((await b.reader.backend.ports.persistedWatermark.get()) ?? 0) < replayed) {
      if (Date.now() > persistedBy) throw new Error('no watermark persisted within 120 s of the replay');
      await pause(500);
    }
    await b.reader.app.stop();
    await b.reader.backend.close();
    await members.stop();
    members = undefined;
    const b2 = await restart(namespace);
    members = b2.members;
    restartRows(row, 'full restart with the views kept in PostgreSQL (ADR 0050)', b2);
    const kept = await heapAfterFullGc(pidOf(members));
    row('member heap after that restart (views loaded, log as configured)', heapLine(kept));

    progress('phase C: cold and warm commands');
    const ids = Array.from({ length: COMMANDED }, (_, i) => `r${Math.floor((i * ACCOUNTS) / COMMANDED)}`);
    const loadStarted = Date.now();
    const readsBefore = await pgReads(b2.reader, namespace);
    const cold = await commands(b2.reader.app, ids);
    const readsCold = await pgReads(b2.reader, namespace);
    const warm = await commands(b2.reader.app, ids);
    const readsWarm = await pgReads(b2.reader, namespace);
    const underLoad = heapBetween(stateDir, pidOf(members), loadStarted, Date.now(), await heapNow(pidOf(members)));
    row(`commands on cold aggregates (first after the restart; ${CLIENTS} clients, ${format(COMMANDED)} accounts)`, `${format(cold.perSecond)} commands/s (${cold.seconds.toFixed(2)} s, ${cold.failed} failed)`);
    row('commands on warm aggregates (the same accounts again)', `${format(warm.perSecond)} commands/s (${warm.seconds.toFixed(2)} s, ${warm.failed} failed)`);
    row(
      'PostgreSQL reads by the event log\'s MapStore per command (cold / warm)',
      `${((readsCold - readsBefore) / ids.length).toFixed(2)} / ${((readsWarm - readsCold) / ids.length).toFixed(2)}`,
    );
    row('member heap under command load', loadLine(underLoad));

    progress('phase D: rebuild of the accounts projection');
    const rebuildStarted = Date.now();
    const rebuilt = await b2.reader.app.rebuilder.rebuild('accounts');
    const rebuildSeconds = (Date.parse(rebuilt.finishedAt ?? new Date().toISOString()) - Date.parse(rebuilt.startedAt)) / 1000;
    const duringRebuild = heapBetween(stateDir, pidOf(members), rebuildStarted, Date.now(), await heapNow(pidOf(members)));
    row(
      `rebuild of accounts (reads the log from PostgreSQL, ADR 0047), ${format(rebuilt.replayed)} events`,
      `${format(rebuilt.replayed / rebuildSeconds)} events/s (${rebuildSeconds.toFixed(2)} s, ${rebuilt.state})`,
    );
    row('member heap during the rebuild', loadLine(duringRebuild)
    );
    const afterRebuild = await heapAfterFullGc(pidOf(members));
    row('member heap after the rebuild (two generations of the account views)', heapLine(afterRebuild));
    // The rebuild's histories and views are still queued for PostgreSQL (write-behind) when it ends:
    // the heap once the members stored them.
    const flushStarted = performance.now();
    await b2.reader.backend.ports.persistedWatermark.flush();
    const flushSeconds = since(flushStarted);
    const stored = await heapAfterFullGc(pidOf(members));
    row(`member heap after the rebuild's writes were stored in PostgreSQL (${flushSeconds} s after its end)`, heapLine(stored));
    await b2.reader.app.stop();
    await b2.reader.backend.close();

    progress('phase E: the log read from PostgreSQL by the service');
    const fromPg = await readFromPostgres(namespace);
    row(
      'the log read from PostgreSQL by the service (pg, keyset pages of 5,000 in time order)',
      `${format(fromPg.perSecond)} events/s (${format(fromPg.rows)} rows in ${fromPg.seconds.toFixed(2)} s): what a rebuild reading PostgreSQL starts from, not measured as a rebuild`,
    );
  } finally {
    await members?.stop();
    await cluster.stopCluster(stateDir);
    if (!args['keep-rows']) {
      await db.query(settings, 'delete from events where namespace = $1', [namespace]).catch(() => undefined);
      for (const table of ['read_model_rows', 'snapshot_rows']) await db.query(settings, `delete from ${table} where map_name like $1 || '.%'`, [namespace]).catch(() => undefined);
    }
  }
  const cpus = os.cpus();
  const bound = EVENTS_IN_MEMORY ? `, the log bounded to ${format(EVENTS_IN_MEMORY)} entries` : '';
  const title = `${args.quick ? 'Durability at scale, quick' : 'Durability at scale'}${bound}`;
  const report = `### ${title}: ${format(EVENTS)} events over ${format(ACCOUNTS)} accounts

Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:durability${args.quick ? ' -- --quick' : ''}\` on ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, Node ${process.version}, one member (\`-Xmx${HEAP}\`) writing through to PostgreSQL on the same machine (the member, PostgreSQL and the benchmark share the cores). ${EVENTS_IN_MEMORY ? `The log bounded to ${format(EVENTS_IN_MEMORY)} entries in memory, loaded per stream (LAZY, LRU; stream heads on the member: ADR 0049).` : 'The whole log in the member, loaded EAGER at start.'}

| measurement | result |
|---|---|
${lines.join('\n')}
${histogram.length > 0 ? `\nThe member's heap with the log loaded, by class (\`jcmd GC.class_histogram\`, top ${histogram.length}):\n\n| class | instances | heap |\n|---|---|---|\n${histogram.join('\n')}\n` : ''}`;
  process.stdout.write(report);
  if (!args['no-write']) writeSection(path.join(ROOT, 'docs/benchmarks.md'), `${args.quick ? 'durability-quick' : 'durability'}${EVENTS_IN_MEMORY ? '-bounded' : ''}`, report);
};

await main();
process.exit(0);
