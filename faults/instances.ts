/**
 * The fault run's service instances and the load's HTTP client: an instance is a process of the
 * service started from `dist/`; a command is sent with one Idempotency-Key until some instance
 * gives a final answer, as a careful client does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { OutageObserver } from './outage-observer.js';
import { ROOT } from '../tools/root.js';

export interface Instance {
  readonly port: number;
  child: ChildProcess;
  readonly env: Record<string, string>;
  /** The user id it runs as, when a packet filter must tell it apart (the split brain). */
  readonly uid?: number;
}

export interface Command {
  readonly kind: 'deposit' | 'withdrawal' | 'transfer';
  readonly account: string;
  readonly to?: string;
  readonly amount: number;
  readonly key: string;
}

export interface Ack extends Command {
  readonly status: number;
  readonly transferId?: string;
  /** The account's version the answer of a deposit or withdrawal stated. */
  readonly version?: number;
}

/** Waits for a condition, checking again every `everyMs`, until the deadline. */
export const until = async (what: string, condition: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<number> => {
  const started = Date.now();
  for (;;) {
    if (await condition().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
};

export type Observe = (answer: Parameters<OutageObserver['record']>[0]) => void;
export type Tally = (instance: number, sentAt: number, status: number | undefined, retryAfter: boolean) => void;

/**
 * Starts a service instance from `dist/`. Its log goes nowhere, unless HZCQRS_FAULTS_LOG_DIR names
 * a folder: then every instance appends its log to `instance-<port>.log` there (the logs of a run
 * that did not converge are the first thing to read).
 */
export const startInstance = (env: Record<string, string>, uid?: number): ChildProcess => {
  const logDir = process.env['HZCQRS_FAULTS_LOG_DIR'];
  const log = logDir ? openSync(path.join(logDir, `instance-${env['PORT'] ?? 'unknown'}.log`), 'a') : 'ignore';
  try {
    return spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', log, logDir ? log : 'inherit'],
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
  } finally {
    if (typeof log === 'number') closeSync(log);
  }
};

export const waitReady = (instance: Instance): Promise<number> =>
  until(`instance on ${instance.port} ready`, () => fetch(`http://127.0.0.1:${instance.port}/ready`).then((r) => r.ok), 90_000, 200);

/** One request to one instance; undefined when the instance could not be reached. */
export const request = async (
  instance: Instance,
  method: string,
  url: string,
  body?: unknown,
  key?: string,
  observe?: Observe,
): Promise<{ status: number; json: Record<string, unknown>; retryAfter: string | null } | undefined> => {
  const sentAt = Date.now();
  try {
    const response = await fetch(`http://127.0.0.1:${instance.port}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    observe?.({ sentAt, ms: Date.now() - sentAt, status: response.status, retryAfter: response.headers.get('retry-after') });
    return { status: response.status, json, retryAfter: response.headers.get('retry-after') };
  } catch {
    observe?.({ sentAt, ms: Date.now() - sentAt, status: undefined, retryAfter: null });
    return undefined;
  }
};

/** Sends with one Idempotency-Key until some instance gives a final answer, as a careful client does. */
export const call = async (
  instances: readonly Instance[],
  method: string,
  url: string,
  body: unknown,
  key: string,
  onError: () => void = () => undefined,
  observe?: Observe,
  home = 0,
  tally?: Tally,
) => {
  const deadline = Date.now() + 60_000;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const instance = (home + attempt) % instances.length;
    const sentAt = Date.now();
    const answer = await request(instances[instance]!, method, url, body, key, observe);
    tally?.(instance, sentAt, answer?.status, answer?.retryAfter !== undefined && answer.retryAfter !== null);
    if (answer && answer.status < 500 && answer.status !== 409) return answer;
    onError();
    await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** Math.min(attempt, 5), 1_000)));
  }
  return undefined;
};

export const send = async (
  instances: readonly Instance[],
  command: Command,
  onError: () => void,
  observe?: Observe,
  home = 0,
  tally?: Tally,
): Promise<Ack | undefined> => {
  const answer =
    command.kind === 'transfer'
      ? await call(
          instances,
          'POST',
          '/transfers',
          { from: command.account, to: command.to, amount: command.amount, transferId: command.key },
          command.key,
          onError,
          observe,
          home,
          tally,
        )
      : await call(
          instances,
          'POST',
          `/accounts/${command.account}/${command.kind === 'deposit' ? 'deposits' : 'withdrawals'}`,
          { amount: command.amount },
          command.key,
          onError,
          observe,
          home,
          tally,
        );
  if (!answer) return undefined;
  const version = answer.json['version'];
  return {
    ...command,
    status: answer.status,
    ...(command.kind === 'transfer' ? { transferId: command.key } : {}),
    ...(typeof version === 'number' ? { version } : {}),
  };
};
