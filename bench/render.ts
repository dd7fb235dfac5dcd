/** The benchmark's page: tables, where the targets stand, and the chart of the headline ratio. */
import type { Timings } from './load/jobs.js';

export interface Trial {
  /** Queries at saturation, and the CPU per query of the query server and the members. */
  readonly queries: { readonly timings: Timings; readonly cpuMsPerQuery: Record<string, number> };
  /** Queries at the fixed rate, alone. */
  readonly idle?: Timings;
  /** The same queries while deposits saturate the command URL. */
  readonly loaded?: Timings;
  readonly writesDuringLoaded?: Timings;
  /** Deposits at saturation over every account, with the CPU per command of each process group. */
  readonly commands?: { readonly timings: Timings; readonly cpuMsPerCommand: Record<string, number> };
  /** Deposits at saturation on one account. */
  readonly hot?: Timings;
  /** Propagation lag while deposits arrive at half the saturation rate. */
  readonly lag?: { readonly timings: Timings; readonly writeRate: number };
}

export interface SystemResult {
  readonly key: string;
  readonly name: string;
  readonly trials: readonly Trial[];
}

export interface RenderSettings {
  readonly full: boolean;
  readonly trials: number;
  readonly seconds: number;
  readonly warmSeconds: number;
  readonly trialWarmSeconds: number;
  readonly fixedWarmSeconds: number;
  readonly accounts: number;
  readonly connections: number;
  readonly queryRate: number;
  readonly lagClients: number;
  readonly seed: number;
  readonly command: string;
  readonly machine: string;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The loaded/idle ratio of the query p99: the headline. */
export const ratio = (t: Trial): number | undefined => (t.idle && t.loaded ? t.loaded.p99 / Math.max(0.01, t.idle.p99) : undefined);

const format = (value: number, digits: number): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** The median, with min–max when there is more than one trial. */
const spread = (values: readonly (number | undefined)[], digits = 0): string => {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (present.length === 0) return '–';
  const m = format(median(present), digits);
  return present.length === 1 ? m : `${m} (${format(Math.min(...present), digits)}–${format(Math.max(...present), digits)})`;
};

const of = (r: SystemResult, f: (t: Trial) => number | undefined): (number | undefined)[] => r.trials.map(f);
const medianOf = (r: SystemResult | undefined, f: (t: Trial) => number | undefined): number | undefined => {
  const present = r ? of(r, f).filter((v): v is number => v !== undefined) : [];
  return present.length ? median(present) : undefined;
};

/** Errors summed over the trials, by measurement: "none", or e.g. "lag 3, hot 1". */
const errorsOf = (r: SystemResult): string => {
  const phases: [string, (t: Trial) => number | undefined][] = [
    ['queries', (t) => t.queries.timings.errors],
    ['idle', (t) => t.idle?.errors],
    ['loaded', (t) => t.loaded?.errors],
    ['writes meanwhile', (t) => t.writesDuringLoaded?.errors],
    ['commands', (t) => t.commands?.timings.errors],
    ['hot', (t) => t.hot?.errors],
    ['lag', (t) => t.lag?.timings.errors],
  ];
  const found = phases
    .map(([name, f]) => [name, r.trials.reduce((sum, t) => sum + (f(t) ?? 0), 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`);
  return found.length ? found.join(', ') : 'none';
};

const targets = (rows: readonly SystemResult[]): string => {
  const by = (key: string) => rows.find((r) => r.key === key);
  const hz1 = by('hz1');
  const lines: string[] = [];
  const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured in this run' : met ? '**met**' : '**missed**');
  /** hzcqrs's loaded/idle ratio against 1.5× and against half the locking baseline's. */
  const ratioLine = (label: string, ours: number | undefined, theirs: number | undefined, far: string): string =>
    `- ${label}: ${ours === undefined ? '–' : `${format(ours, 2)}×`} — ${verdict(ours === undefined ? undefined : ours <= 1.5)}; ` +
    `far below the baseline with locking reads (${theirs === undefined ? '–' : `${format(theirs, 2)}×`}${far}): ${verdict(ours === undefined || theirs === undefined ? undefined : ours < theirs / 2)}.`;
  lines.push(
    ratioLine('Query p99 under write saturation within 1.5× of idle (hzcqrs, 1 member)', medianOf(hz1, ratio), medianOf(by('baseline-share'), ratio), ', "far" taken as less than half'),
    ratioLine("The same with each design's query process on a CPU of its own: hzcqrs", medianOf(by('hz1-pinned'), ratio), medianOf(by('baseline-share-pinned'), ratio), ''),
  );
  const hello = medianOf(by('hello'), (t) => t.queries.timings.perSecond);
  const cached = medianOf(hz1, (t) => t.queries.timings.perSecond);
  lines.push(
    `- Near-Cached query throughput at least 70 % of the hello-world ceiling: ${cached === undefined || hello === undefined ? '–' : `${format(cached, 0)} of ${format(hello, 0)} queries/s, ${format((100 * cached) / hello, 0)} %`} — ${verdict(cached === undefined || hello === undefined ? undefined : cached >= 0.7 * hello)}.`,
  );
  const ours = medianOf(hz1, (t) => t.commands?.timings.perSecond);
  const theirs = medianOf(by('baseline-plain'), (t) => t.commands?.timings.perSecond);
  lines.push(
    `- Commands/s on one member at least the baseline's: ${ours === undefined || theirs === undefined ? '–' : `${format(ours, 0)} against ${format(theirs, 0)}`} — ${verdict(ours === undefined || theirs === undefined ? undefined : ours >= theirs)}.`,
  );
  const lag = medianOf(hz1, (t) => t.lag?.timings.p99);
  lines.push(`- Propagation lag p99 under 50 ms at half load (1 member): ${lag === undefined ? '–' : `${format(lag, 1)} ms`} — ${verdict(lag === undefined ? undefined : lag < 50)}.`);
  return lines.join('\n');
};

export const render = (rows: readonly SystemResult[], s: RenderSettings): string => {
  const measured = rows.filter((r) => r.trials[0]?.idle);
  const hello = medianOf(
    rows.find((r) => r.key === 'hello'),
    (t) => t.queries.timings.perSecond,
  );
  const headline = measured
    .map(
      (r) =>
        `| ${r.name} | ${spread(of(r, (t) => t.idle?.p50), 2)} / ${spread(of(r, (t) => t.idle?.p99), 2)} | ${spread(of(r, (t) => t.loaded?.p50), 2)} / ${spread(of(r, (t) => t.loaded?.p99), 2)} | **${spread(of(r, ratio), 2)}×** | ${spread(of(r, (t) => t.writesDuringLoaded?.perSecond))} |`,
    )
    .join('\n');
  const throughput = rows
    .map((r) => {
      const q = spread(of(r, (t) => t.queries.timings.perSecond));
      const share = hello ? ` (${format((100 * (medianOf(r, (t) => t.queries.timings.perSecond) ?? 0)) / hello, 0)} %)` : '';
      return `| ${r.name} | ${q}${share} | ${spread(of(r, (t) => t.queries.timings.p99))} | ${spread(of(r, (t) => t.commands?.timings.perSecond))} | ${spread(of(r, (t) => t.commands?.timings.p99))} | ${spread(of(r, (t) => t.hot?.perSecond))} | ${r.trials[0]?.lag ? `${spread(of(r, (t) => t.lag?.timings.p50), 2)} / ${spread(of(r, (t) => t.lag?.timings.p99), 2)} at ${spread(of(r, (t) => t.lag?.writeRate))}/s` : '–'} | ${errorsOf(r)} |`;
    })
    .join('\n');
  const cpu = rows
    .map((r) => {
      const q = (name: string) => spread(of(r, (t) => t.queries.cpuMsPerQuery[name]), 3);
      const c = (name: string) => spread(of(r, (t) => t.commands?.cpuMsPerCommand[name]), 3);
      const hasMembers = r.key.startsWith('hz');
      return `| ${r.name} | ${q('server')} | ${hasMembers ? q('members') : '–'} | ${r.trials[0]?.commands ? c('servers') : '–'} | ${hasMembers ? c('members') : '–'} | ${r.trials[0]?.commands ? c('postgres') : '–'} |`;
    })
    .join('\n');
  return `## Results

Measured ${new Date().toISOString().slice(0, 10)} with \`${s.command}\` (${s.full ? 'full' : 'quick'} mode: ${s.trials} trial${s.trials > 1 ? 's' : ''} per system, interleaved, ${s.seconds} s per measurement; seed ${s.seed}).

Machine: ${s.machine}. PostgreSQL, the Hazelcast members, the servers and the load generator share
these cores: the numbers compare systems with each other on one machine, they are not capacity
figures.${s.trials > 1 ? ' Each cell is the median of the trials with min–max.' : ' One trial: no spread.'}

### The headline: queries while writes saturate

Queries (\`GET /accounts/{id}\`, uniform over ${s.accounts} accounts) are sent at a fixed ${s.queryRate}/s on an
open-loop schedule and timed from the moment they were due, first alone (idle), then while ${s.connections}
connections saturate \`POST /accounts/{id}/deposits\` on the command URL (loaded). Latencies in ms.

| system | query p50 / p99, idle | query p50 / p99, writes saturating | loaded/idle p99 | deposits/s meanwhile |
|---|---|---|---|---|
${headline}

![loaded/idle query p99](benchmark-ratio.svg)

### Throughput and propagation

Queries/s and commands/s at saturation (${s.connections} connections each, alone); the share of the
hello-world ceiling in brackets. Hot: every deposit on one account. Lag: ${s.lagClients} clients each deposit
and then ask the query URL for the account at the acknowledged version (\`minVersion\`); the time
from the deposit's answer to the view's (one HTTP round trip included), while deposits also arrive
at half the measured saturation rate.

| system | queries/s | query p99 ms | commands/s | command p99 ms | commands/s, hot account | lag p50 / p99 ms at half load | errors |
|---|---|---|---|---|---|---|---|
${throughput}

### CPU per request

CPU time (user + system, from \`/proc\`) used during the saturation runs above, divided by the
requests answered. Queries: the query server, and the members for Hazelcast. Commands: the
server processes, the members, and every PostgreSQL process (the baseline's transactions, the
members' write-through).

| system | ms per query, server | ms per query, members | ms per command, servers | ms per command, members | ms per command, PostgreSQL |
|---|---|---|---|---|---|
${cpu}

### Where the targets stand

${targets(rows)}

### How the systems run

- **Baseline** (\`bench/baseline/server.ts\`): the same routes on one PostgreSQL schema. A command is
  \`BEGIN; SELECT ... FOR UPDATE; UPDATE; INSERT history; COMMIT\`; a query a plain \`SELECT\`, or
  \`SELECT ... FOR SHARE\` in a transaction. Two processes: commands go to one, queries to the other.
- **hzcqrs, 1 or 3 members**: two service processes on the same cluster: commands go to one, which
  also runs the projections; queries to the other, started with \`PROJECTIONS=off\`. The members
  write every event through to PostgreSQL before acknowledging it. **One process**: the default
  deployment, commands, projections and queries in one service process.
- **Query process on a CPU of its own** (both designs, FOR SHARE reads for the baseline): the
  query server and the load that measures it run on the last CPU (\`taskset\`); the command
  server, PostgreSQL, the members and the write load on the others. It stands for read hardware
  of its own: the baseline's queries still run in PostgreSQL, hzcqrs's in the query process.
- **Memory backend**: one process (its state lives in it).
- Every trial starts its servers afresh (hzcqrs in a new namespace, the baseline on new tables).
  Each cluster is warmed up for ${s.warmSeconds} s of deposits and queries before the first trial: the
  members' JIT compiles for tens of seconds after a start${s.full ? '' : ', so quick-mode numbers of the first system on a cluster run colder'}. Each trial's servers get ${s.trialWarmSeconds} s of
  deposits and queries before they are measured, and each fixed-rate run sends for ${s.fixedWarmSeconds} s untimed first.
- Load generators run in worker threads of their own: saturation with autocannon, fixed-rate
  queries and propagation lag with the benchmark's open-loop client (\`bench/load\`).
`;
};

/** A bar chart of the loaded/idle p99 ratio per system: the median as a bar, min–max as a whisker. */
export const chart = (rows: readonly SystemResult[]): string => {
  const bars = rows.map((r) => ({ name: r.name, values: r.trials.map(ratio).filter((v): v is number => v !== undefined) }));
  const width = 720;
  const rowHeight = 40;
  const left = 300;
  const height = 70 + bars.length * rowHeight;
  const top = Math.max(2, ...bars.flatMap((b) => b.values)) * 1.1;
  const x = (v: number) => left + (v / top) * (width - left - 40);
  const body = bars
    .map((b, i) => {
      const y = 44 + i * rowHeight;
      const m = median(b.values);
      const name = b.name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      return `<text x="${left - 10}" y="${y + 18}" text-anchor="end" font-size="13">${name}</text>
<rect x="${left}" y="${y + 4}" width="${Math.max(1, x(m) - left)}" height="20" fill="${b.name.startsWith('baseline') ? '#d0021b' : '#4a90e2'}"/>
<line x1="${x(Math.min(...b.values))}" y1="${y + 14}" x2="${x(Math.max(...b.values))}" y2="${y + 14}" stroke="#000" stroke-width="2"/>
<text x="${x(m) + 6}" y="${y + 32}" font-size="12">${m.toFixed(2)}×</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">Query p99 while writes saturate ÷ query p99 idle (lower is better)</text>
<line x1="${x(1)}" y1="38" x2="${x(1)}" y2="${height - 24}" stroke="#999" stroke-dasharray="4"/>
<text x="${x(1)}" y="${height - 8}" text-anchor="middle" font-size="11">1×</text>
<line x1="${x(1.5)}" y1="38" x2="${x(1.5)}" y2="${height - 24}" stroke="#2a2" stroke-dasharray="2"/>
<text x="${x(1.5)}" y="${height - 8}" text-anchor="middle" font-size="11">1.5× target</text>
${body}
</svg>
`;
};
