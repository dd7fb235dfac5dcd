/**
 * npm run bench:compare [-- --full]
 *
 * The claim hzcqrs exists for, measured side by side in one run: with the models separated,
 * queries stay fast while writes are heavy, where one shared relational model with
 * SELECT ... FOR UPDATE makes them wait. Systems: the single-model baseline (bench/baseline) with
 * plain and with FOR SHARE reads, hzcqrs on one Hazelcast member (writing through to PostgreSQL),
 * and hzcqrs on the memory backend. Trials are interleaved; medians with min-max.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { writeSection } from './report.js';
import { seededRandom } from '../tools/seeded-random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const clusterApi = (await import(pathToFileURL(path.join(ROOT, 'scripts/cluster.mjs')).href)) as typeof import('../scripts/cluster.mjs');
const db = (await import(pathToFileURL(path.join(ROOT, 'scripts/db.mjs')).href)) as typeof import('../scripts/db.mjs');

const full = process.argv.includes('--full');
const TRIALS = full ? 5 : 2;
const SECONDS = full ? 10 : 4;
const ACCOUNTS = 1_000;
const random = seededRandom(23);

interface System {
  readonly name: string;
  readonly script: string;
  readonly env: Record<string, string>;
  /** Processes besides the server whose CPU counts (the member). */
  readonly extraPids: () => number[];
}

interface Trial {
  readonly idleP99: number;
  readonly loadedP99: number;
  readonly idleP50: number;
  readonly loadedP50: number;
  readonly commandsUniform: number;
  readonly commandsHot: number;
  readonly cpuMsPerCommand: number;
}

const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

const serve = async (system: System): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> => {
  const port = String(4200 + Math.floor(random() * 700));
  const child = spawn(process.execPath, [path.join(ROOT, system.script)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...system.env, PORT: port },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/ready`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${system.name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
};

const post = (url: string, route: string, body: unknown): Promise<Response> =>
  fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const cannon = (url: string, connections: number, request: () => { method: 'GET' | 'POST'; path: string; body?: string }) =>
  autocannon({
    url,
    connections,
    duration: SECONDS,
    requests: [{ setupRequest: (req) => ({ ...req, ...request(), headers: { 'content-type': 'application/json' } }) }],
  });

const reads = () => ({ method: 'GET' as const, path: `/accounts/a${Math.floor(random() * ACCOUNTS)}` });
const writes = (hot: boolean) => () => ({
  method: 'POST' as const,
  path: `/accounts/a${hot ? 0 : Math.floor(random() * ACCOUNTS)}/deposits`,
  body: '{"amount":1}',
});

const trial = async (system: System, url: string, server: ChildProcess): Promise<Trial> => {
  const idle = await cannon(url, 16, reads);
  const [loaded] = await Promise.all([cannon(url, 16, reads), cannon(url, 32, writes(false))]);
  const pids = [server.pid!, ...system.extraPids()];
  const before = pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const uniform = await cannon(url, 32, writes(false));
  const spent = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - before;
  const hot = await cannon(url, 32, writes(true));
  return {
    idleP50: idle.latency.p50,
    idleP99: idle.latency.p99,
    loadedP50: loaded.latency.p50,
    loadedP99: loaded.latency.p99,
    commandsUniform: Math.round(uniform.requests.average),
    commandsHot: Math.round(hot.requests.average),
    cpuMsPerCommand: Math.round((spent / Math.max(1, uniform.requests.total)) * 1000) / 1000,
  };
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const spread = (values: number[], digits = 0): string => {
  const f = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: digits });
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
};

const main = async (): Promise<void> => {
  const pg = { ...db.pgSettings(), database: 'hzcqrs_baseline' };
  await db.migrate(pg);
  await db.query(pg, 'drop table if exists baseline_transactions; drop table if exists baseline_accounts');
  const stateDir = '.hazelcast/bench-compare';
  await clusterApi.stopCluster(stateDir);
  const cluster = await clusterApi.startCluster({
    members: 1,
    basePort: 5981,
    clusterName: 'hzcqrs-bench-compare',
    stateDir,
    persistence: { settings: { ...db.pgSettings(), database: 'hzcqrs_bench' } },
  });
  const member = () => cluster.members.map((m) => m.pid);
  const run = Date.now().toString(36);
  const systems: System[] = [
    { name: 'baseline, plain reads', script: 'dist/bench/baseline/server.js', env: { PGDATABASE: 'hzcqrs_baseline' }, extraPids: () => [] },
    { name: 'baseline, FOR SHARE reads', script: 'dist/bench/baseline/server.js', env: { PGDATABASE: 'hzcqrs_baseline', QUERY_LOCK: 'share' }, extraPids: () => [] },
    {
      name: 'hzcqrs, Hazelcast 1 member',
      script: 'dist/src/main.js',
      env: {
        BACKEND: 'hazelcast',
        HAZELCAST_MEMBERS: cluster.addresses.join(','),
        HAZELCAST_CLUSTER_NAME: 'hzcqrs-bench-compare',
        HAZELCAST_NAMESPACE: `hzcqrs-compare-${run}`,
      },
      extraPids: member,
    },
    { name: 'hzcqrs, memory backend', script: 'dist/src/main.js', env: { BACKEND: 'memory' }, extraPids: () => [] },
  ];
  const results = new Map<string, Trial[]>(systems.map((s) => [s.name, []]));
  try {
    for (let t = 0; t < TRIALS; t++) {
      for (const system of t % 2 === 0 ? systems : [...systems].reverse()) {
        const server = await serve(system);
        try {
          for (let i = 0; i < ACCOUNTS; i += 50) {
            await Promise.all(
              Array.from({ length: 50 }, async (_, j) => {
                await post(server.url, '/accounts', { owner: 'bench', accountId: `a${i + j}` });
              }),
            );
          }
          // The read model holds every account before queries are measured.
          await fetch(`${server.url}/accounts/a${ACCOUNTS - 1}?minVersion=1&waitMs=5000`).catch(() => undefined);
          results.get(system.name)!.push(await trial(system, server.url, server.child));
          process.stderr.write(`compare: trial ${t + 1}/${TRIALS} ${system.name} done\n`);
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    await cluster.stop();
  }
  render(systems.map((s) => ({ name: s.name, trials: results.get(s.name)! })));
};

const render = (rows: readonly { name: string; trials: Trial[] }[]): void => {
  const ratio = (t: Trial) => t.loadedP99 / Math.max(1, t.idleP99);
  const cpus = os.cpus();
  const table = rows
    .map((r) => {
      const of = (f: (t: Trial) => number) => r.trials.map(f);
      return `| ${r.name} | ${spread(of((t) => t.idleP50))} / ${spread(of((t) => t.idleP99))} | ${spread(of((t) => t.loadedP50))} / ${spread(of((t) => t.loadedP99))} | **${spread(of(ratio), 1)}** | ${spread(of((t) => t.commandsUniform))} | ${spread(of((t) => t.commandsHot))} | ${spread(of((t) => t.cpuMsPerCommand), 3)} |`;
    })
    .join('\n');
  const report = `## Against the single-model baseline

Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:compare${full ? ' -- --full' : ''}\` on ${cpus.length} × ${cpus[0]?.model ?? 'CPU'},
Node ${process.version}; ${TRIALS} trials per system, interleaved (each trial starts its server afresh), ${SECONDS} s per
measurement, medians with min–max. PostgreSQL, the Hazelcast member, the server and the load
generator share the two cores. The baseline is \`bench/baseline/server.ts\`: commands as
\`BEGIN; SELECT ... FOR UPDATE; UPDATE; INSERT history; COMMIT\`, queries as plain \`SELECT\` or
\`SELECT ... FOR SHARE\`. The member writes every event through to PostgreSQL.

- **idle**: \`GET /accounts/{id}\` alone, 16 connections. **loaded**: the same reads while 32 more
  connections saturate \`POST /accounts/{id}/deposits\` over 1000 accounts. **ratio**: loaded p99 /
  idle p99 (the headline, also drawn in [benchmark-ratio.svg](benchmark-ratio.svg)).
- **commands/s**: deposits at saturation (32 connections), uniform over 1000 accounts, and on one
  hot account. **CPU ms/command**: CPU time of the server process (and of the member for
  Hazelcast) during the uniform run, divided by the commands. PostgreSQL's own processes are not
  counted, neither for the baseline nor for the member's write-through: the column understates
  the baseline's cost most.

| system | query p50 / p99 ms, idle | query p50 / p99 ms, loaded | loaded/idle p99 | commands/s, uniform | commands/s, one hot account | CPU ms/command |
|---|---|---|---|---|---|---|
${table}

Not measured here yet (issue 6 work left): three members, propagation lag at half of the
saturation write rate, Near Cache on versus off in this run (see the HTTP section above), and
profiles of the largest costs.
`;
  process.stdout.write(report);
  writeSection(path.join(ROOT, 'docs/benchmarks.md'), 'compare', report);
  writeFileSync(path.join(ROOT, 'docs/benchmark-ratio.svg'), chart(rows.map((r) => ({ name: r.name, values: r.trials.map(ratio) }))));
};

/** A bar chart of the loaded/idle p99 ratio per system: the median as a bar, min–max as a whisker. */
const chart = (bars: readonly { name: string; values: number[] }[]): string => {
  const width = 640;
  const rowHeight = 44;
  const left = 230;
  const height = 60 + bars.length * rowHeight;
  const top = Math.max(2, ...bars.flatMap((b) => b.values)) * 1.1;
  const x = (v: number) => left + (v / top) * (width - left - 30);
  const rows = bars
    .map((b, i) => {
      const y = 40 + i * rowHeight;
      const m = median(b.values);
      return `<text x="${left - 10}" y="${y + 18}" text-anchor="end" font-size="13">${b.name}</text>
<rect x="${left}" y="${y + 4}" width="${x(m) - left}" height="22" fill="#4a90e2"/>
<line x1="${x(Math.min(...b.values))}" y1="${y + 15}" x2="${x(Math.max(...b.values))}" y2="${y + 15}" stroke="#000" stroke-width="2"/>
<text x="${x(m) + 6}" y="${y + 31}" font-size="12">${m.toFixed(1)}×</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">Query p99 under write saturation ÷ idle p99 (lower is better)</text>
<line x1="${x(1)}" y1="34" x2="${x(1)}" y2="${height - 10}" stroke="#999" stroke-dasharray="4"/>
${rows}
</svg>
`;
};

await main();
process.exit(0);
