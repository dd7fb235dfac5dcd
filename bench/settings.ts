/**
 * What a run of `npm run bench` was asked for: the command line and `BENCH_SEED`, read once.
 */

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const full = process.argv.includes('--full');

/** The systems (keys) asked for with --only; all when absent. */
export const ONLY: readonly string[] | undefined = arg('only')?.split(',');

export const wanted = (key: string): boolean => !ONLY || ONLY.includes(key);

export const SETTINGS = {
  full,
  trials: Number(arg('trials') ?? (full ? 3 : 1)),
  seconds: Number(arg('seconds') ?? (full ? 6 : 1)),
  /** Load on a cluster after its start, before its first trial. */
  warmSeconds: full ? 40 : 5,
  /** Load on a trial's fresh servers before they are measured. */
  trialWarmSeconds: full ? 5 : 0.5,
  /** Each fixed-rate run first sends at its rate untimed for this long. */
  fixedWarmSeconds: full ? 1 : 0.5,
  accounts: full ? 1_000 : 200,
  connections: 32,
  /** The fixed rate of the measured queries, idle and under write saturation. */
  queryRate: Number(arg('query-rate') ?? 500),
  lagClients: 4,
  seed: Number(process.env['BENCH_SEED'] ?? 7),
};

export type Settings = typeof SETTINGS;

/** The prefix of the benchmark's account ids. */
export const PREFIX = 'acct-';

/**
 * A run beside another checkout's (--instance=name --base-port=N) keeps clusters, member ports and
 * databases of its own: a run truncates its databases and stops its clusters' earlier members.
 */
export const INSTANCE = (() => {
  const name = arg('instance');
  if (name !== undefined && !/^[a-z0-9]{1,16}$/.test(name)) throw new Error(`--instance=${name}: 1..16 of a-z 0-9`);
  return { suffix: (separator: string) => (name ? `${separator}${name}` : ''), basePort: Number(arg('base-port') ?? 5951) };
})();

/** The online banking and end-of-day scenarios: one run per system, longer runs than the above. */
export const BANKING = {
  full,
  seconds: Number(arg('banking-seconds') ?? (full ? 10 : 3)),
  warmSeconds: full ? 3 : 1,
  seed: SETTINGS.seed,
};

/** The command line of this run, as the report quotes it. */
export const COMMAND = `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
