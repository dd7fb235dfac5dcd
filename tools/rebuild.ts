/**
 * npm run rebuild -- <accounts|transfers> [--url http://127.0.0.1:3000] [--token T] [--force]
 *
 * Asks a running hzcqrs instance to rebuild a projection from the event log into a fresh
 * generation, and follows it with a progress bar (events replayed, events/s, ETA) until the new
 * generation is active. The token (or HZCQRS_TOKEN) needs the admin scope when tokens are on.
 */
import process from 'node:process';

const usage = 'usage: npm run rebuild -- <accounts|transfers> [--url URL] [--token TOKEN] [--force]';
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const projection = args.find((a, i) => !a.startsWith('--') && !['--url', '--token'].includes(args[i - 1] ?? ''));
if (!projection || !['accounts', 'transfers'].includes(projection)) {
  console.error(usage);
  process.exit(2);
}
const base = (option('--url') ?? process.env['HZCQRS_URL'] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const token = option('--token') ?? process.env['HZCQRS_TOKEN'];
const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
const path = `/admin/projections/${projection}/rebuild`;

interface RebuildStatus {
  readonly generation: number;
  readonly state: 'running' | 'completed' | 'failed';
  readonly total: number;
  readonly replayed: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds?: number;
  readonly error?: string;
}

const call = async (method: string, url: string): Promise<RebuildStatus> => {
  let response: Response;
  try {
    response = await fetch(`${base}${url}`, { method, headers });
  } catch (error) {
    const failed = error as Error & { cause?: { code?: string } };
    console.error(`rebuild: cannot reach ${base}: ${failed.cause?.code ?? failed.message}`);
    process.exit(1);
  }
  const body = (await response.json().catch(() => ({}))) as RebuildStatus & { title?: string; detail?: string };
  if (!response.ok) {
    console.error(`rebuild: ${response.status} ${body.title ?? ''}: ${body.detail ?? ''}`.trim());
    process.exit(1);
  }
  return body;
};

const bar = (status: RebuildStatus): string => {
  const width = 30;
  const share = status.total > 0 ? Math.min(1, status.replayed / status.total) : 1;
  const filled = Math.round(share * width);
  const eta = status.etaSeconds === undefined ? '?' : `${status.etaSeconds}s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ` +
    `${status.replayed.toLocaleString('en-US')}/${status.total.toLocaleString('en-US')} events  ` +
    `${status.eventsPerSecond.toLocaleString('en-US')} ev/s  ETA ${eta}`;
};

const show = (line: string): void => {
  if (process.stdout.isTTY) process.stdout.write(`\r${line}\x1b[K`);
};

let status = await call('POST', `${path}${args.includes('--force') ? '?force=true' : ''}`);
console.log(`rebuilding ${projection} into generation ${status.generation}`);
while (status.state === 'running') {
  show(bar(status));
  await new Promise((resolve) => setTimeout(resolve, 250));
  status = await call('GET', path);
}
show(bar(status));
if (process.stdout.isTTY) process.stdout.write('\n');
if (status.state === 'failed') {
  console.error(`rebuild failed: ${status.error}; generation ${status.generation - 1} stays active`);
  process.exit(1);
}
console.log(`${bar(status)}\ngeneration ${status.generation} of ${projection} is active`);
