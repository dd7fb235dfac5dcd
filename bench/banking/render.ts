/** The banking scenarios' sections of docs/benchmarks.md: tables, and where their targets stand. */
import type { Summary } from '../load/banking-jobs.js';
import { EOD_ACCOUNTS, EOD_CLIENTS, EOD_IN_FLIGHT, type EndOfDayResult } from './end-of-day.js';
import { ACCOUNTS, BURST, CLIENTS, POLL_MS, type MixResult } from './online-banking.js';
import type { BankingResults, SystemRuns } from './run-scenarios.js';

export interface BankingRenderSettings {
  readonly full: boolean;
  readonly seconds: number;
  readonly warmSeconds: number;
  readonly seed: number;
  readonly command: string;
}

const n = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits });
const pp = (s: Summary | undefined): string => (s && s.count ? `${n(s.p50, 2)} / ${n(s.p99, 2)}` : '–');
const verdict = (met: boolean | undefined): string => (met === undefined ? 'not measured in this run' : met ? '**met**' : '**missed**');
const outcomes = (r: { completed: number; failed: number; unended: number }): string => `${n(r.completed)} / ${n(r.failed)} / ${n(r.unended)}`;

const mixRow = (system: string, workload: string, r: MixResult | undefined, synchronous: boolean): string =>
  r
    ? `| ${system} | ${workload} | ${n(r.commandsPerSecond)} | ${pp(r.deposit)} | ${pp(r.transfer)} | ${synchronous ? (r.transfer.count ? 'when answered' : '–') : pp(r.ended)} | ${r.transfer.count ? outcomes(r) : '–'} | ${synchronous ? '–' : n(r.pollsPerSecond)} | ${n(r.errors)} |`
    : '';

/** "ours against theirs": whether hzcqrs's commands/s is at least the baseline's and each p99 at most its. */
const againstBaseline = (label: string, ours: MixResult | undefined, theirs: MixResult | undefined): string => {
  if (!ours || !theirs) return `- ${label}: – — ${verdict(undefined)}.`;
  const p99s = (['deposit', 'transfer'] as const).filter((kind) => ours[kind].count && theirs[kind].count);
  const met = ours.commandsPerSecond >= theirs.commandsPerSecond && p99s.every((kind) => ours[kind].p99 <= theirs[kind].p99);
  const detail = p99s.map((kind) => `${kind} p99 ${n(ours[kind].p99, 2)} against ${n(theirs[kind].p99, 2)} ms`).join(', ');
  return `- ${label}: ${n(ours.commandsPerSecond)} against ${n(theirs.commandsPerSecond)} commands/s, ${detail} — ${verdict(met)}.`;
};

export const onlineTargets = (r: BankingResults): string[] => {
  const { baseline: b, hzcqrs: h } = r;
  const lines = [
    againstBaseline('Online banking, 1 process: hzcqrs commands/s at least the baseline\'s and p99 at most its', h.mixed, b.mixed),
    againstBaseline('Online banking, 2 processes: the same', h.twoProcesses, b.twoProcesses),
  ];
  const depositsOnly = h.depositsOnly && b.depositsOnly ? h.depositsOnly.commandsPerSecond >= b.depositsOnly.commandsPerSecond : undefined;
  lines.push(
    `- Deposits only, commands/s at least the baseline's: ${h.depositsOnly && b.depositsOnly ? `${n(h.depositsOnly.commandsPerSecond)} against ${n(b.depositsOnly.commandsPerSecond)}` : '–'} — ${verdict(depositsOnly)}.`,
  );
  const half = h.halfRate;
  lines.push(
    `- Transfers at half load, p99 from 202 to ended under 50 ms: ${half ? `${n(half.ended.p99, 2)} ms at ${n(half.perSecond)} commands/s (${outcomes(half)} completed / failed / unended)` : '–'} — ${verdict(half ? half.ended.count > 0 && half.unended === 0 && half.errors === 0 && half.ended.p99 < 50 : undefined)}.`,
  );
  const burst = h.burst;
  lines.push(
    `- ${BURST.transfers} concurrent transfers among ${BURST.accounts.count} accounts all ended within 1 s: ${burst ? `${n(burst.allEndedMs)} ms (${outcomes(burst)} completed / failed / unended, ${n(burst.errors)} errors)` : '–'} — ${verdict(burst ? burst.allEndedMs <= 1000 && burst.unended === 0 && burst.errors === 0 : undefined)}.`,
  );
  const three = h.threeMembers;
  const one = h.mixed;
  lines.push(
    `- 3 members at least 0.7× the 1-member rate (mixed): ${three && one ? `${n(three.commandsPerSecond)} against ${n(one.commandsPerSecond)} commands/s, ${n(three.commandsPerSecond / Math.max(1, one.commandsPerSecond), 2)}×` : '–'} — ${verdict(three && one ? three.commandsPerSecond >= 0.7 * one.commandsPerSecond : undefined)}.`,
  );
  return lines;
};

const ratio = (withBatch: Summary, alone: Summary): number => withBatch.p99 / Math.max(0.01, alone.p99);

export const endOfDayTargets = (r: BankingResults): string[] => {
  const line = (label: string, e: EndOfDayResult | undefined): string => {
    if (!e) return `- ${label}: – — ${verdict(undefined)}.`;
    const kinds = (['deposit', 'read'] as const).map((kind) => ({ kind, x: ratio(e.withBatch[kind], e.alone[kind]) }));
    const met = e.withBatch.deposit.count > 0 && e.withBatch.read.count > 0 && kinds.every((k) => k.x <= 2);
    const detail = kinds.map((k) => `${k.kind} p99 ${n(e.withBatch[k.kind].p99, 2)} against ${n(e.alone[k.kind].p99, 2)} ms (${n(k.x, 2)}×)`).join(', ');
    return `- ${label}: ${detail} — ${verdict(met)}.`;
  };
  return [line('During the end-of-day job, online p99 at most 2× without it: hzcqrs', r.hzcqrs.endOfDay), line('The same for the baseline, for comparison', r.baseline.endOfDay)];
};

const header = (s: BankingRenderSettings): string =>
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${s.command}\` (${s.full ? 'full' : 'quick'} mode: one run per system, ${s.seconds} s per measurement after ${s.warmSeconds} s untimed; seed ${s.seed}, \`BENCH_SEED\` to repeat).`;

export const renderOnline = (r: BankingResults, s: BankingRenderSettings): string => {
  const { baseline: b, hzcqrs: h } = r;
  const rows = [
    mixRow('baseline', 'deposits only, 1 process', b.depositsOnly, true),
    mixRow('hzcqrs, 1 member', 'deposits only, 1 process', h.depositsOnly, false),
    mixRow('baseline', '⅔ deposits ⅓ transfers, 1 process', b.mixed, true),
    mixRow('hzcqrs, 1 member', '⅔ deposits ⅓ transfers, 1 process', h.mixed, false),
    mixRow('baseline', '⅔ deposits ⅓ transfers, 2 processes', b.twoProcesses, true),
    mixRow('hzcqrs, 1 member', '⅔ deposits ⅓ transfers, 2 processes', h.twoProcesses, false),
    mixRow('hzcqrs, 3 members', '⅔ deposits ⅓ transfers, 1 process', h.threeMembers, false),
  ].filter(Boolean);
  const burstRow = (system: string, x: SystemRuns['burst']) => (x ? `| ${system} | ${n(x.allEndedMs)} | ${outcomes(x)} | ${system === 'baseline' ? '–' : n(x.pollsPerSecond)} | ${n(x.errors)} |` : '');
  const half = h.halfRate;
  return `## Online banking

${header(s)}

${CLIENTS} clients in a closed loop (each sends its next command once answered) over ${ACCOUNTS.count} accounts funded
beforehand; deposits of 1, transfers of 1–10 between two distinct accounts drawn at random. Two
processes: the clients split evenly over both (hzcqrs's second process runs with \`PROJECTIONS=off\`).
The baseline's transfer is one transaction that locks both rows \`FOR UPDATE\` in account-id order and
has ended when it is answered; hzcqrs answers 202 and its process manager carries the transfer out
afterwards: the client goes on and a poller follows each transfer (\`GET /transfers/{id}\` every
${POLL_MS} ms, every tenth of the time waited once that is longer, up to 50 ms; at most 4 polls in flight
per load thread) until it has ended; "202 → ended" is the time from the answer to the poll that saw
it ended, so it includes the polling interval (${POLL_MS} ms, or 10 %) and one round trip, and the polls
are load on the same server (status polls/s). Latencies in ms; commands/s counts deposits and
transfers answered.

| system | workload | commands/s | deposit p50 / p99 | transfer answer p50 / p99 | transfer 202 → ended p50 / p99 | transfers completed / failed / unended | status polls/s | errors |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

**Burst**: ${BURST.transfers} transfers sent at once among ${BURST.accounts.count} accounts; the time from the first send until
the last had ended.

| system | all ended after ms | completed / failed / unended | status polls/s | errors |
|---|---|---|---|---|
${[burstRow('baseline', b.burst), burstRow('hzcqrs, 1 member', h.burst)].filter(Boolean).join('\n')}

**Half load** (hzcqrs, 1 member, one process): the mixed load (⅔ deposits, ⅓ transfers) at ${half ? n(half.perSecond) : '–'} commands/s,
half the closed loop's rate, on an open-loop schedule; each command timed from when it was due to
its answer, each transfer followed until it had ended: deposit p50 / p99 ${pp(half?.deposit)} ms, transfer
answer p50 / p99 ${pp(half?.transfer)} ms, 202 → ended p50 / p99 ${pp(half?.ended)} ms; ${half ? `${outcomes(half)} completed / failed / unended, ${n(half.errors)} errors, ${n(half.pollsPerSecond)} status polls/s` : '–'}.

### Where the online banking targets stand

${onlineTargets(r).join('\n')}
`;
};

export const renderEndOfDay = (r: BankingResults, s: BankingRenderSettings): string => {
  const row = (system: string, batch: string, e: EndOfDayResult | undefined) =>
    e
      ? `| ${system} | ${batch} | ${pp(e.alone.deposit)} | ${pp(e.withBatch.deposit)} | ${pp(e.alone.read)} | ${pp(e.withBatch.read)} | ${n(e.batchMedianMs)} (max ${n(e.batchMaxMs)}), ${e.runs} run${e.runs === 1 ? '' : 's'} | ${n(e.alone.errors + e.withBatch.errors)} / ${n(e.batchErrors)} |`
      : '';
  return `## End-of-day job during online traffic

${header(s)}

${EOD_ACCOUNTS.count.toLocaleString('en-US')} accounts; ${EOD_CLIENTS} clients in a closed loop send deposits and reads (\`GET /accounts/{id}\`), half
each, on accounts drawn at random, first alone, then while the end-of-day job pays interest (+1) to
every account, run again as soon as it has finished for the length of the measurement. "With the
job" counts only the online requests sent while a run of the job was under way. The baseline's job
is one transaction that locks all ${EOD_ACCOUNTS.count.toLocaleString('en-US')} rows \`FOR UPDATE\`, then updates each row and writes its history
(\`POST /batch/interest\` on the baseline server); hzcqrs's is a deposit command per account over
HTTP, ${EOD_IN_FLIGHT} in flight. One service process each (hzcqrs on 1 member). Latencies in ms.

| system | job | deposit p50 / p99 alone | deposit p50 / p99 with the job | read p50 / p99 alone | read p50 / p99 with the job | job duration ms, median | errors online / job |
|---|---|---|---|---|---|---|---|
${[row('baseline', 'one transaction, FOR UPDATE', r.baseline.endOfDay), row('hzcqrs, 1 member', `deposit commands, ${EOD_IN_FLIGHT} in flight`, r.hzcqrs.endOfDay)].filter(Boolean).join('\n')}

### Where the end-of-day target stands

${endOfDayTargets(r).join('\n')}
`;
};
