/**
 * The systems under test as processes on this machine: servers started afresh per trial, each
 * with the URL commands go to, the URL queries go to, and the processes whose CPU time counts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../tools/root.js';

export { ROOT };

export interface Deployment {
  readonly commandUrl: string;
  readonly queryUrl: string;
  /** The server processes (one, or the command process and the query process). */
  readonly servers: readonly number[];
  /** Hazelcast members serving this deployment. */
  readonly members: readonly number[];
  /**
   * When the query side has CPUs of its own: the query server and the query load run on `query`,
   * everything else (command server, members, PostgreSQL, write load) on `rest`.
   */
  readonly cpus?: { readonly query: string; readonly rest: string };
  stop(): Promise<void>;
}

export interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

let nextPort = 4300;

/** Starts `script` with `env` on a fresh port, on `cpus` when given, and waits until `readyPath` answers 200. */
export const startServer = async (name: string, script: string, env: Record<string, string>, readyPath: string, cpus?: string): Promise<Server> => {
  const port = String(nextPort++);
  if (nextPort > 4900) nextPort = 4300;
  const command = [process.execPath, path.join(ROOT, script)];
  // taskset sets the affinity and then becomes the server process (same pid).
  const [file, ...args] = cpus ? ['taskset', '-c', cpus, ...command] : command;
  const child: ChildProcess = spawn(file!, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: port },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (await fetch(`${url}${readyPath}`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`${name} did not become ready within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

/** CPU time (user + system) a process has used, in milliseconds. */
const cpuMs = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
};

/** Every PostgreSQL server process on this machine (the benchmark is the only one using it). */
export const postgresPids = (): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);

/** CPU milliseconds used by groups of processes while `work` runs. */
export const measureCpu = async <T>(
  groups: Record<string, () => readonly number[]>,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: Record<string, number> }> => {
  const pids = Object.fromEntries(Object.entries(groups).map(([name, of]) => [name, of()]));
  const sum = (list: readonly number[]) => list.reduce((total, pid) => total + cpuMs(pid), 0);
  const before = Object.fromEntries(Object.entries(pids).map(([name, list]) => [name, sum(list)]));
  const result = await work();
  // Processes that started during the work (PostgreSQL backends) count from zero.
  const after = Object.fromEntries(Object.entries(groups).map(([name, of]) => [name, sum(of())]));
  return { result, cpu: Object.fromEntries(Object.keys(groups).map((name) => [name, Math.max(0, after[name]! - before[name]!)])) };
};

/** Pins every thread of each process to `cpus` (a taskset list); answers whether all were pinned. */
export const pinProcesses = (pids: readonly number[], cpus: string): boolean =>
  pids.every((pid) => spawnSync('taskset', ['-apc', cpus, String(pid)], { stdio: 'ignore' }).status === 0);
