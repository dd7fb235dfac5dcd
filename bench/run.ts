/**
 * npm run bench [-- --full] [-- --only memory,hazelcast]
 *
 * Measures, in one run on this machine: the Fastify hello-world ceiling, then hzcqrs on the memory
 * backend and on a local Hazelcast member with the Near Cache on and off: commands/s and queries/s
 * at saturation, and propagation lag (command acknowledged → view visible at that version).
 * Writes docs/benchmarks.md. Every server runs in its own process; the load generator in this one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { writeSection } from './report.js';
import { seededRandom } from '../tools/seeded-random.js';

/** The repository: this file runs compiled from dist/bench/. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { startCluster, stopCluster } = (await import(pathToFileURL(path.join(ROOT, 'scripts/cluster.mjs')).href)) as typeof import('../scripts/cluster.mjs');

const full = process.argv.includes('--full');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
const SECONDS = full ? 20 : 5;
const CONNECTIONS = 32;
const ACCOUNTS = 1_000;
const LAG_SAMPLES = full ? 2_000 : 400;
const SEED = Number(process.env['BENCH_SEED'] ?? 7);
const random = seededRandom(SEED);

const accountId = (): string => `bench-${Math.floor(random() * ACCOUNTS)}`;

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

interface Row {
  readonly system: string;
  readonly queries?: Load;
  readonly commands?: Load;
  readonly lag?: { readonly p50: number; readonly p99: number; readonly samples: number };
}

const serve = async (name: string, script: string, env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> => {
  const port = String(4100 + Math.floor(random() * 800));
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, script)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: port },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}${script.includes('hello') ? '/hello' : '/ready'}`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`${name} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

const load = async (url: string, request: () => { method: 'GET' | 'POST'; path: string; body?: string }): Promise<Load> => {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (req) => {
          const next = request();
          return { ...req, method: next.method, path: next.path, body: next.body, headers: { 'content-type': 'application/json' } };
        },
      },
    ],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
};

const post = async (url: string, route: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

const openAccounts = async (url: string): Promise<void> => {
  for (let i = 0; i < ACCOUNTS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, ACCOUNTS - i) }, async (_, j) => {
        const id = `bench-${i + j}`;
        const opened = await post(url, '/accounts', { owner: `owner-${(i + j) % 17}`, accountId: id });
        if (opened.status !== 201 && opened.status !== 409) throw new Error(`open ${id}: ${opened.status}`);
        const deposit = await post(url, `/accounts/${id}/deposits`, { amount: 1_000_000_000 });
        // Measure queries on a read model that holds every account: wait until it does.
        const view = await fetch(`${url}/accounts/${id}?minVersion=${String(deposit.json['version'])}&waitMs=5000`);
        if (view.status !== 200) throw new Error(`view of ${id}: ${view.status}`);
        await view.arrayBuffer();
      }),
    );
  }
};

/** Command acknowledged → GET with minVersion answers: the time the read side took to catch up. */
const propagationLag = async (url: string): Promise<{ p50: number; p99: number; samples: number }> => {
  const lags: number[] = [];
  const sampler = async (): Promise<void> => {
    while (lags.length < LAG_SAMPLES) {
      const id = accountId();
      const deposit = await post(url, `/accounts/${id}/deposits`, { amount: 1 });
      const acknowledged = performance.now();
      const version = Number(deposit.json['version']);
      const view = await fetch(`${url}/accounts/${id}?minVersion=${version}&waitMs=5000`);
      if (view.status !== 200) throw new Error(`view of ${id}@${version}: ${view.status}`);
      await view.arrayBuffer();
      lags.push(performance.now() - acknowledged);
    }
  };
  await Promise.all(Array.from({ length: 4 }, sampler));
  lags.sort((a, b) => a - b);
  const at = (q: number): number => Math.round(lags[Math.min(lags.length - 1, Math.floor(q * lags.length))]! * 100) / 100;
  return { p50: at(0.5), p99: at(0.99), samples: lags.length };
};

const measureService = async (system: string, env: Record<string, string>): Promise<Row> => {
  const server = await serve(system, 'dist/src/main.js', env);
  try {
    await openAccounts(server.url);
    const queries = await load(server.url, () => ({ method: 'GET', path: `/accounts/${accountId()}` }));
    const commands = await load(server.url, () => ({ method: 'POST', path: `/accounts/${accountId()}/deposits`, body: '{"amount":1}' }));
    const lag = await propagationLag(server.url);
    return { system, queries, commands, lag };
  } finally {
    await server.stop();
  }
};

const main = async (): Promise<void> => {
  const rows: Row[] = [];
  const wanted = (name: string): boolean => !only || only.has(name);
  if (wanted('hello')) {
    const hello = await serve('hello-world', 'dist/bench/targets/hello-world.js', {});
    try {
      rows.push({ system: 'Fastify hello-world (ceiling)', queries: await load(hello.url, () => ({ method: 'GET', path: '/hello' })) });
    } finally {
      await hello.stop();
    }
  }
  if (wanted('memory')) rows.push(await measureService('hzcqrs, memory backend', { BACKEND: 'memory' }));
  if (wanted('hazelcast')) {
    const stateDir = '.hazelcast/bench';
    await stopCluster(stateDir);
    const cluster = await startCluster({ members: 1, basePort: 5951, clusterName: 'hzcqrs-bench', stateDir });
    try {
      for (const nearCache of ['on', 'off'] as const) {
        rows.push(
          await measureService(`hzcqrs, Hazelcast 1 member, Near Cache ${nearCache}`, {
            BACKEND: 'hazelcast',
            HAZELCAST_MEMBERS: cluster.addresses.join(','),
            HAZELCAST_CLUSTER_NAME: 'hzcqrs-bench',
            HAZELCAST_NAMESPACE: `hzcqrs-bench-${nearCache}-${Date.now()}`,
            NEAR_CACHE: nearCache,
          }),
        );
      }
    } finally {
      await cluster.stop();
    }
  }
  const report = render(rows);
  process.stdout.write(report);
  writeSection(path.join(ROOT, 'docs/benchmarks.md'), 'http', report);
};

const cell = (load?: Load): string => (load ? `${load.rps.toLocaleString('en-US')} | ${load.p50} / ${load.p99} | ${load.errors}` : '– | – | –');

const render = (rows: readonly Row[]): string => {
  const cpus = os.cpus();
  return `## HTTP: commands, queries, propagation lag

Measured by \`npm run bench${full ? ' -- --full' : ''}\` on ${new Date().toISOString().slice(0, 10)}.

- Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.
- Load: autocannon in the benchmark's own process, ${CONNECTIONS} connections, ${SECONDS} s per measurement, seed ${SEED}.
  The server, the load generator and (for Hazelcast) the member share the machine's cores: the
  numbers compare systems with each other on one machine, they are not capacity figures.
- The Hazelcast member writes every event through to PostgreSQL on the same machine before it
  is acknowledged (ADR 0019): a command costs a commit.
- Queries: \`GET /accounts/{id}\` over ${ACCOUNTS} accounts, uniform. Commands: \`POST /accounts/{id}/deposits\`, uniform.
- Propagation lag: a deposit is acknowledged, then \`GET /accounts/{id}?minVersion=<its version>\`
  answers; the time between the two, ${LAG_SAMPLES} samples from 4 concurrent clients (includes one HTTP round trip).

| system | queries/s | query p50 / p99 ms | query errors | commands/s | command p50 / p99 ms | command errors | lag p50 / p99 ms |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows
  .map((r) => `| ${r.system} | ${cell(r.queries)} | ${cell(r.commands)} | ${r.lag ? `${r.lag.p50} / ${r.lag.p99}` : '–'} |`)
  .join('\n')}
`;
};

await main();
