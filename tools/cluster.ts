/**
 * Local Hazelcast cluster for development and tests.
 *
 * Starts community members (hazelcast/member.yaml) as detached `java` processes, records their
 * pids in <stateDir>/members.json and waits until every member reports ready on its health
 * endpoint with the expected cluster size. Only node built-ins are used.
 *
 *   import { startCluster } from '../tools/cluster.js';
 *   const cluster = await startCluster({ members: 3, basePort: 5801, clusterName: 'hzcqrs-test', stateDir: '.hazelcast/test' });
 *   await cluster.stop();
 *
 * The command line is tools/hazelcast.ts (npm run hazelcast:start | hazelcast:stop | hazelcast:fetch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { jdbcUrl, migrate, pgSettings, type PgSettings } from './db.js';
import { ROOT } from './root.js';

export { ROOT };
export type { PgSettings };

/** Maven project that pins the member jars. */
export const POM = path.join(ROOT, 'hazelcast', 'pom.xml');
/** Member configuration. */
export const MEMBER_CONFIG = path.join(ROOT, 'hazelcast', 'member.yaml');
/** Where the jars are copied (shared by every cluster, whatever its state dir). */
export const LIB_DIR = path.join(ROOT, '.hazelcast', 'lib');

export const MAIN_CLASS = 'com.hazelcast.core.server.HazelcastMemberStarter';

/** Flags the Hazelcast installation guide gives for Java 17 (same as its `hz` start script). */
export const JAVA_MODULE_FLAGS = Object.freeze([
  '--add-modules', 'java.se',
  '--add-exports', 'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
  '--add-opens', 'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens', 'java.management/sun.management=ALL-UNNAMED',
  '--add-opens', 'jdk.management/com.sun.management.internal=ALL-UNNAMED',
]);

export const DEFAULTS = Object.freeze({
  members: 1,
  basePort: 5701,
  portCount: 10,
  stateDir: '.hazelcast',
  eventsCapacity: 10000,
  heap: Object.freeze(['-Xms256m', '-Xmx1g']),
  timeoutMs: 90_000,
  stopTimeoutMs: 20_000,
});

export interface Persistence {
  readonly settings: PgSettings;
}

export interface StartClusterOptions {
  /** Number of members (default 1). */
  members?: number;
  /** Port of member 0; member i listens on basePort + i (default 5701). */
  basePort?: number;
  /** Default: $HAZELCAST_CLUSTER_NAME or 'dev'. */
  clusterName?: string;
  /** Pids (members.json) and logs (member-<port>.log); relative to the repository root (default '.hazelcast'). */
  stateDir?: string;
  /** Extra environment variables for the member processes. */
  env?: Record<string, string>;
  /** Ports listed for TCP/IP join, from basePort (default max(10, members)). */
  portCount?: number;
  /** Capacity of the `_hz_rb_hzcqrs.events.*` ringbuffers (default 10000). */
  eventsCapacity?: number;
  /** JVM heap flags (default ['-Xms256m', '-Xmx1g']). */
  heap?: readonly string[];
  /**
   * Events the cluster keeps in memory (ADR 0049): the event log is loaded per stream (LAZY) and
   * evicted (LRU) beyond this many entries, divided by the number of members; false keeps the
   * whole log, loaded at start (EAGER). Default: defaultEventsInMemory() ($HZCQRS_EVENTS_IN_MEMORY).
   */
  eventsInMemory?: number | false;
  /**
   * PostgreSQL behind the members' MapStore (write-through of the event log and idempotency
   * records), or false for none. Default: defaultPersistence() (PG* variables; off when
   * HZCQRS_PERSISTENCE=off). The schema is migrated before the first member starts.
   */
  persistence?: Persistence | false;
  /** Deadline for the whole start (default 90000). */
  timeoutMs?: number;
  libDir?: string;
  /** Member configuration file, relative to the repository root (default hazelcast/member.yaml). */
  config?: string;
  /**
   * One loopback address per member (127.x.y.z, all routed on `lo`): member i binds to hosts[i],
   * connects to the others from it, and joins the list hosts[i]:basePort+i. Default: 127.0.0.1.
   */
  hosts?: readonly string[];
  /** Extra JVM arguments for every member, e.g. `-Dhazelcast.max.no.heartbeat.seconds=6`. */
  javaOptions?: readonly string[];
  /**
   * Split-brain protection of the project's maps when the cluster has three or more members
   * (majority floor(n / 2) + 1, ADR 0035). Default true; false runs the cluster unprotected.
   */
  splitBrainProtection?: boolean;
  /** Progress messages (default: silent). */
  log?: (message: string) => void;
}

export interface ClusterMember {
  readonly index: number;
  readonly pid: number;
  /** The member's address (127.0.0.1 unless the cluster was given `hosts`). */
  readonly host?: string;
  readonly port: number;
  readonly logFile: string;
  readonly startedAt: string;
}

export interface MemberHealth {
  /** GET /hazelcast/health/ready answered 200. */
  readonly ready: boolean;
  readonly nodeState?: string;
  readonly clusterState?: string;
  readonly clusterSafe?: boolean;
  readonly migrationQueueSize?: number;
  readonly clusterSize?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface StopResult {
  /** Pids sent SIGTERM. */
  readonly stopped: number[];
  /** Pids still alive at the deadline, sent SIGKILL. */
  readonly killed: number[];
}

export interface Cluster {
  readonly clusterName: string;
  readonly basePort: number;
  /** Absolute state directory. */
  readonly stateDir: string;
  /** True when the state directory already recorded this cluster running (nothing new started, except dead members). */
  readonly alreadyRunning: boolean;
  /** Snapshot of the recorded members (pids change after startMember). */
  readonly members: ClusterMember[];
  /** '<host>:<port>' of every member, for the client's `network.clusterMembers`. */
  readonly addresses: string[];
  /** Indexes of members whose process is alive. */
  aliveMembers(): number[];
  health(index: number): Promise<MemberHealth | undefined>;
  logTail(index: number, lines?: number): string;
  /**
   * Sends `signal` (default SIGKILL) to member `index`. Waits for the process to exit for
   * SIGKILL, SIGTERM and SIGINT; other signals (SIGSTOP, SIGCONT) are only sent.
   * Resolves to false when the member was not running.
   */
  killMember(index: number, signal?: NodeJS.Signals, options?: WaitOptions): Promise<boolean>;
  /** Starts member `index` again on its port and waits until it is ready in the cluster of all live members. */
  startMember(index: number, options?: WaitOptions): Promise<ClusterMember>;
  /** Waits until every live member reports a cluster of `size` members. */
  waitForClusterSize(size: number, options?: WaitOptions): Promise<void>;
  /** Stops every recorded member and removes the record. */
  stop(options?: WaitOptions): Promise<StopResult>;
}

/** What <stateDir>/members.json holds. */
export interface ClusterRecord {
  clusterName: string;
  basePort: number;
  portCount: number;
  eventsCapacity: number;
  /** The cluster's bound on the event log in memory; false (or absent in older records): the whole log. */
  eventsInMemory?: number | false;
  persistence: { jdbcUrl: string; user: string; password: string } | false;
  heap: string[];
  stateDir: string;
  libDir: string;
  config: string;
  hosts?: string[];
  javaOptions?: string[];
  splitBrainMinimum?: number;
  startedAt: string;
  members: Array<ClusterMember | null>;
}

export interface ClusterStatus extends Omit<ClusterRecord, 'members'> {
  members: Array<ClusterMember & { alive: boolean; health?: MemberHealth | undefined }>;
}

/** An error with the code the callers tell apart (ETIMEDOUT, ECLUSTERRUNNING). */
class ClusterError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly record?: ClusterRecord,
    readonly summary?: string,
  ) {
    super(message);
  }
}

const RECORD_FILE = 'members.json';
const JARS_MARKER = '.resolved.json';
const POLL_MS = 200;

/**
 * PostgreSQL behind the members' MapStore: PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD, on unless
 * HZCQRS_PERSISTENCE=off (then a full cluster restart loses everything).
 */
export function defaultPersistence(env: Record<string, string | undefined> = process.env): Persistence | false {
  return env['HZCQRS_PERSISTENCE'] === 'off' ? false : { settings: pgSettings(env) };
}

/**
 * The event log's in-memory bound for the whole cluster: $HZCQRS_EVENTS_IN_MEMORY, a positive
 * integer, or unset (or `off`) for the whole log in memory (ADR 0049).
 */
export function defaultEventsInMemory(env: Record<string, string | undefined> = process.env): number | false {
  const value = env['HZCQRS_EVENTS_IN_MEMORY']?.trim();
  if (value === undefined || value === '' || value === 'off') return false;
  const bound = Number(value);
  if (!Number.isInteger(bound) || bound < 1) throw new Error(`HZCQRS_EVENTS_IN_MEMORY must be a positive integer or 'off', got '${value}'`);
  return bound;
}

/** The per-member bound of a cluster-wide one (at least one entry per member). */
export function eventsInMemoryPerMember(bound: number, members: number): number {
  return Math.max(1, Math.ceil(bound / members));
}

/** Cluster name used when none is given: $HAZELCAST_CLUSTER_NAME, else `dev`. */
export function defaultClusterName(): string {
  return process.env['HAZELCAST_CLUSTER_NAME'] || 'dev';
}

function resolveStateDir(stateDir: string | undefined): string {
  return path.resolve(ROOT, stateDir ?? DEFAULTS.stateDir);
}

/** Log file of the member on `port`. */
export function memberLogFile(stateDir: string | undefined, port: number): string {
  return path.join(resolveStateDir(stateDir), `member-${port}.log`);
}

// ---------------------------------------------------------------------------------------------
// Jars
// ---------------------------------------------------------------------------------------------

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** What the jars are built from: the pom and the member's Java sources. */
function buildHash(): string {
  const sources = path.join(path.dirname(POM), 'src');
  const files = fs.existsSync(sources) ? listFiles(sources).sort() : [];
  return sha256Text([fs.readFileSync(POM, 'utf8'), ...files.map((f) => `${path.relative(sources, f)}\n${fs.readFileSync(f, 'utf8')}`)].join('\0'));
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
}

function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface JarsMarker {
  readonly pomSha256: string;
  readonly jars: string[];
}

function jarsComplete(libDir: string, pomHash: string): boolean {
  const marker = readJson<JarsMarker>(path.join(libDir, JARS_MARKER));
  if (!marker || marker.pomSha256 !== pomHash || !Array.isArray(marker.jars) || marker.jars.length === 0) {
    return false;
  }
  return marker.jars.every((jar) => {
    try {
      return fs.statSync(path.join(libDir, jar)).size > 0;
    } catch {
      return false;
    }
  });
}

function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`)));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/**
 * Makes sure the member jars (hazelcast/pom.xml) are in .hazelcast/lib. Runs Maven only when the
 * folder is missing, incomplete or was resolved from a different pom; otherwise returns at once.
 * Resolves to the list of jar paths.
 */
export async function ensureJars({ libDir = LIB_DIR, force = false, log = (_message: string): void => {} } = {}): Promise<string[]> {
  const pomHash = buildHash();
  if (!force && jarsComplete(libDir, pomHash)) {
    return readJson<JarsMarker>(path.join(libDir, JARS_MARKER))!.jars.map((jar) => path.join(libDir, jar));
  }
  const previous = readJson<JarsMarker>(path.join(libDir, JARS_MARKER));
  fs.mkdirSync(libDir, { recursive: true });
  if (force || !previous || previous.pomSha256 !== pomHash) {
    // Unknown content or another pom: drop the old jars so that no stale version stays on the
    // classpath. (With the same pom only a missing jar brought us here; Maven adds it back.)
    for (const name of fs.readdirSync(libDir)) {
      if (name.endsWith('.jar') || name === JARS_MARKER) fs.rmSync(path.join(libDir, name), { force: true });
    }
  }
  log(`Resolving Hazelcast jars with Maven into ${path.relative(ROOT, libDir) || libDir} ...`);
  const mvn = process.env['MVN'] || 'mvn';
  const result = await run(mvn, [
    '-B', '-q', '-Dstyle.color=never',
    '-f', POM,
    'package',
    'dependency:copy-dependencies',
    `-DoutputDirectory=${libDir}`,
  ], { cwd: ROOT, env: process.env });
  if (result.code !== 0) {
    throw new Error(`mvn package dependency:copy-dependencies failed (exit ${result.code ?? result.signal}):\n${result.output}`);
  }
  // The project's own MapStore, built from hazelcast/src by the same Maven run.
  fs.copyFileSync(path.join(path.dirname(POM), 'target', 'hzcqrs-member.jar'), path.join(libDir, 'hzcqrs-member.jar'));
  const jars = fs.readdirSync(libDir).filter((name) => name.endsWith('.jar')).sort();
  if (!jars.some((name) => /^hazelcast-\d[\w.-]*\.jar$/.test(name))) {
    throw new Error(`no hazelcast jar in ${libDir} after running Maven:\n${result.output}`);
  }
  writeJsonAtomic(path.join(libDir, JARS_MARKER), { pomSha256: pomHash, jars });
  return jars.map((jar) => path.join(libDir, jar));
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/**
 * True when `pid` is a running (not zombie) member process started for `port`. On systems
 * without /proc only the existence of the pid is checked.
 */
export function isMemberAlive(pid: number, port?: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  // Field 3 (after the parenthesised command) is the state; Z and X are dead processes.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (state === 'Z' || state === 'X') return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(MAIN_CLASS) && (port === undefined || cmdline.includes(`-Dhzcqrs.port=${port}`));
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Polls `condition` every POLL_MS until it returns a truthy value or the deadline passes. */
async function until<T>(condition: () => T | Promise<T>, { timeoutMs, what }: { timeoutMs: number; what: string }): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() >= deadline) {
      throw new ClusterError(`timed out after ${timeoutMs} ms waiting for ${what}`, 'ETIMEDOUT');
    }
    await delay(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** GET http://<host>:<port><urlPath>; resolves to { status, body } or undefined when unreachable. */
function httpGet(port: number, urlPath: string, timeoutMs = 1000, host = '127.0.0.1'): Promise<{ status: number | undefined; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: urlPath, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/**
 * Health of the member on `port`: `{ ready, nodeState, clusterState, clusterSafe, clusterSize, ... }`
 * (from /hazelcast/health/ready and /hazelcast/health), or undefined when it does not answer.
 */
export async function memberHealth(port: number, host = '127.0.0.1'): Promise<MemberHealth | undefined> {
  const ready = await httpGet(port, '/hazelcast/health/ready', 1000, host);
  if (!ready) return undefined;
  const health = await httpGet(port, '/hazelcast/health', 1000, host);
  let details: Omit<MemberHealth, 'ready'> = {};
  if (health && health.status === 200) {
    try {
      details = JSON.parse(health.body) as Omit<MemberHealth, 'ready'>;
    } catch {
      details = {};
    }
  }
  return { ready: ready.status === 200, ...details };
}

/** Last `lines` lines of a file ('' when it does not exist). */
export function tail(file: string, lines = 40): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  return text.split('\n').slice(-lines - 1).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Record
// ---------------------------------------------------------------------------------------------

/** The record of the cluster started in `stateDir`, or undefined. */
export function readRecord(stateDir?: string): ClusterRecord | undefined {
  return readJson<ClusterRecord>(path.join(resolveStateDir(stateDir), RECORD_FILE));
}

function writeRecord(record: ClusterRecord): void {
  fs.mkdirSync(record.stateDir, { recursive: true });
  writeJsonAtomic(path.join(record.stateDir, RECORD_FILE), record);
}

function removeRecord(stateDir: string): void {
  fs.rmSync(path.join(resolveStateDir(stateDir), RECORD_FILE), { force: true });
}

/** Member i's address: its own loopback address when the cluster was given `hosts`, else 127.0.0.1. */
function hostOf(record: ClusterRecord, index: number): string {
  return record.hosts?.[index] ?? '127.0.0.1';
}

function memberList(record: ClusterRecord): string {
  if (record.hosts) return record.hosts.map((host, i) => `${host}:${record.basePort + i}`).join(',');
  return Array.from({ length: record.portCount }, (_, i) => `127.0.0.1:${record.basePort + i}`).join(',');
}

/**
 * Split-brain protection (ADR 0035): a cluster of three or more members refuses map operations
 * while it holds fewer than a majority of them; smaller clusters (tests) are not protected.
 */
function splitBrainMinimum(members: number): number {
  return members >= 3 ? Math.floor(members / 2) + 1 : 0;
}

function javaCommand(): string {
  const home = process.env['JAVA_HOME'];
  return home ? path.join(home, 'bin', 'java') : 'java';
}

function eventLogProperties(record: ClusterRecord): string[] {
  const bound = record.eventsInMemory;
  if (!bound) {
    return ['-Dhzcqrs.events.bounded=false', '-Dhzcqrs.events.initial-mode=EAGER', '-Dhzcqrs.events.eviction-policy=NONE',
      `-Dhzcqrs.events.in-memory=${2 ** 31 - 1}`];
  }
  return ['-Dhzcqrs.events.bounded=true', '-Dhzcqrs.events.initial-mode=LAZY', '-Dhzcqrs.events.eviction-policy=LRU',
    `-Dhzcqrs.events.in-memory=${eventsInMemoryPerMember(bound, record.members.length)}`];
}

function javaArgs(record: ClusterRecord, index: number): string[] {
  const port = record.basePort + index;
  const extra = (process.env['HAZELCAST_JAVA_OPTS'] || '').split(/\s+/).filter(Boolean);
  return [
    ...JAVA_MODULE_FLAGS,
    ...record.heap,
    ...(record.javaOptions ?? []),
    ...extra,
    `-Dhazelcast.config=${record.config ?? MEMBER_CONFIG}`,
    `-Dhzcqrs.cluster-name=${record.clusterName}`,
    `-Dhzcqrs.host=${hostOf(record, index)}`,
    // An address of 127.0.0.0/8 other than 127.0.0.1 routes on `lo` but is not an interface
    // address Java lists: the member is given it directly instead of matching interfaces.
    ...(record.hosts ? [`-Dhazelcast.local.localAddress=${hostOf(record, index)}`] : []),
    `-Dhzcqrs.port=${port}`,
    // Each member gets its own port: fail instead of silently moving to the next one.
    '-Dhzcqrs.port-auto-increment=false',
    `-Dhzcqrs.member-list=${memberList(record)}`,
    `-Dhzcqrs.events.capacity=${record.eventsCapacity}`,
    // The event log bounded and loaded per stream, or whole and loaded at start (ADR 0049).
    ...eventLogProperties(record),
    // Split-brain protection (hazelcast/member.yaml, ADR 0035).
    `-Dhzcqrs.split-brain-protection.enabled=${(record.splitBrainMinimum ?? 0) > 0}`,
    `-Dhzcqrs.split-brain-protection.minimum-size=${Math.max(2, record.splitBrainMinimum ?? 0)}`,
    `-Dhzcqrs.state-dir=${record.stateDir}`,
    // Write-through to PostgreSQL of the event log and idempotency records (hazelcast/member.yaml).
    `-Dhzcqrs.persistence=${record.persistence ? 'true' : 'false'}`,
    `-Dhzcqrs.pg.url=${record.persistence ? record.persistence.jdbcUrl : 'jdbc:postgresql://127.0.0.1:5432/hzcqrs'}`,
    `-Dhzcqrs.pg.user=${record.persistence ? record.persistence.user : 'postgres'}`,
    `-Dhzcqrs.pg.password=${record.persistence ? record.persistence.password : ''}`,
    '-cp', `${record.libDir}${path.sep}*`,
    MAIN_CLASS,
  ];
}

async function spawnMember(record: ClusterRecord, index: number, env: Record<string, string>): Promise<ClusterMember> {
  const port = record.basePort + index;
  const host = hostOf(record, index);
  if (!(await portFree(port, host))) {
    throw new Error(`port ${port} on ${host} is already in use by a process this cluster did not record`
      + ` (${path.join(record.stateDir, RECORD_FILE)}); choose another --base-port or stop it`);
  }
  const logFile = memberLogFile(record.stateDir, port);
  fs.mkdirSync(record.stateDir, { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    fs.writeSync(fd, `---- ${new Date().toISOString()} starting member ${index} on ${host}:${port}`
      + ` (cluster ${record.clusterName})\n`);
    child = spawn(javaCommand(), javaArgs(record, index), {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, HZ_PHONE_HOME_ENABLED: 'false', ...env },
    });
  } finally {
    fs.closeSync(fd);
  }
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (err) => resolve(err));
  });
  if (spawned) throw new Error(`cannot start ${javaCommand()}: ${spawned.message}`);
  child.unref();
  const member: ClusterMember = { index, pid: child.pid!, host, port, logFile, startedAt: new Date().toISOString() };
  record.members[index] = member;
  writeRecord(record);
  return member;
}

function failure(message: string, record: ClusterRecord, indexes: readonly number[]): ClusterError {
  const logs = indexes
    .map((i) => record.members[i])
    .filter((m): m is ClusterMember => Boolean(m))
    .map((m) => `---- last lines of ${m.logFile} (member ${m.index}, pid ${m.pid}) ----\n${tail(m.logFile)}`)
    .join('\n');
  return new ClusterError(`${message}\n${logs}`, undefined, undefined, message);
}

/**
 * Waits until each member in `indexes` is alive, ready, and sees `expectedSize` members.
 * Fails fast when one of them exits.
 */
async function waitMembers(record: ClusterRecord, indexes: readonly number[], expectedSize: number, timeoutMs: number): Promise<void> {
  let last: unknown[] = [];
  try {
    await until(async () => {
      last = [];
      for (const i of indexes) {
        const m = record.members[i]!;
        if (!isMemberAlive(m.pid, m.port)) {
          throw failure(`member ${i} (pid ${m.pid}, port ${m.port}) exited during start`, record, [i]);
        }
        const health = await memberHealth(m.port, m.host);
        last.push({ index: i, port: m.port, ...health });
        if (!health || !health.ready || health.clusterSize !== expectedSize) return false;
      }
      return true;
    }, { timeoutMs, what: `${indexes.length} member(s) to be ready in a cluster of ${expectedSize}` });
  } catch (err) {
    if ((err as ClusterError).code !== 'ETIMEDOUT') throw err;
    throw failure(`${(err as Error).message}; last health: ${JSON.stringify(last)}`, record, indexes);
  }
}

function aliveIndexes(record: ClusterRecord): number[] {
  return record.members
    .map((m, i) => (m && isMemberAlive(m.pid, m.port) ? i : -1))
    .filter((i) => i >= 0);
}

function makeHandle(record: ClusterRecord, { env, alreadyRunning }: { env: Record<string, string>; alreadyRunning: boolean }): Cluster {
  const handle: Cluster = {
    clusterName: record.clusterName,
    basePort: record.basePort,
    stateDir: record.stateDir,
    alreadyRunning,
    /** Recorded members: { index, pid, port, logFile }. */
    get members() {
      return record.members.map((m) => ({ ...m! }));
    },
    /** 'host:port' of every recorded member, for the client's network.clusterMembers. */
    get addresses() {
      return record.members.map((m, i) => `${hostOf(record, i)}:${m!.port}`);
    },
    /** Indexes of the members whose process is alive. */
    aliveMembers() {
      return aliveIndexes(record);
    },
    /** Health of member `i` (see memberHealth), or undefined when it does not answer. */
    health(i) {
      return memberHealth(record.members[i]!.port, hostOf(record, i));
    },
    /** Last lines of member `i`'s log. */
    logTail(i, lines = 40) {
      return tail(record.members[i]!.logFile, lines);
    },
    /**
     * Sends `sig` (default SIGKILL) to member `i`. For SIGKILL/SIGTERM/SIGINT waits until the
     * process is gone. Other signals (SIGSTOP, SIGCONT) are only sent.
     */
    async killMember(i, sig = 'SIGKILL', { timeoutMs = DEFAULTS.stopTimeoutMs } = {}) {
      const m = record.members[i];
      if (!m) throw new Error(`no member ${i}`);
      if (!isMemberAlive(m.pid, m.port)) return false;
      signal(m.pid, sig);
      if (['SIGKILL', 'SIGTERM', 'SIGINT'].includes(sig)) {
        if (sig !== 'SIGKILL') signal(m.pid, 'SIGCONT');
        await until(() => !isMemberAlive(m.pid, m.port), { timeoutMs, what: `member ${i} (pid ${m.pid}) to exit` });
      }
      return true;
    },
    /**
     * Starts member `i` again on its port (it must not be running) and waits until it is ready in
     * a cluster made of every live recorded member.
     */
    async startMember(i, { timeoutMs = DEFAULTS.timeoutMs } = {}) {
      if (i < 0 || i >= record.members.length) throw new Error(`no member ${i}`);
      const m = record.members[i];
      if (m && isMemberAlive(m.pid, m.port)) throw new Error(`member ${i} (pid ${m.pid}) is still running`);
      await spawnMember(record, i, env);
      const alive = aliveIndexes(record);
      await waitMembers(record, alive, alive.length, timeoutMs);
      return { ...record.members[i]! };
    },
    /** Waits until every live member reports a cluster of `size` members. */
    async waitForClusterSize(size, { timeoutMs = DEFAULTS.timeoutMs } = {}) {
      await waitMembers(record, aliveIndexes(record), size, timeoutMs);
    },
    /** Stops every recorded member (see stopCluster). */
    stop(options) {
      return stopCluster(record.stateDir, options);
    },
  };
  return handle;
}

/**
 * Starts a local cluster of `members` members on 127.0.0.1:basePort.. and resolves once every
 * member is ready and sees the whole cluster.
 *
 * When `stateDir` already records live members, nothing new is started for them: members of the
 * record that died are started again and the handle has `alreadyRunning: true`. A record made
 * with a different cluster name, base port or size is an error (stop that cluster first).
 */
export async function startCluster({
  members = DEFAULTS.members,
  basePort = DEFAULTS.basePort,
  clusterName = defaultClusterName(),
  stateDir = DEFAULTS.stateDir,
  env = {},
  portCount = Math.max(DEFAULTS.portCount, members),
  eventsCapacity = DEFAULTS.eventsCapacity,
  eventsInMemory = defaultEventsInMemory(),
  heap = DEFAULTS.heap,
  timeoutMs = DEFAULTS.timeoutMs,
  libDir = LIB_DIR,
  config = MEMBER_CONFIG,
  persistence = defaultPersistence(),
  hosts,
  javaOptions = [],
  splitBrainProtection = true,
  log = () => {},
}: StartClusterOptions = {}): Promise<Cluster> {
  if (hosts !== undefined && (!Array.isArray(hosts) || hosts.length !== members || !hosts.every((h) => /^127\.\d+\.\d+\.\d+$/.test(h)))) {
    throw new Error(`hosts must list one loopback address (127.x.y.z) per member, got ${JSON.stringify(hosts)}`);
  }
  if (!Number.isInteger(members) || members < 1) throw new Error(`members must be a positive integer, got ${members}`);
  if (!Number.isInteger(basePort) || basePort < 1 || basePort + portCount > 65535) {
    throw new Error(`invalid base port ${basePort}`);
  }
  const dir = resolveStateDir(stateDir);
  const existing = readRecord(dir);
  if (existing && existing.members.some((m) => m && isMemberAlive(m.pid, m.port))) {
    const same = existing.clusterName === clusterName && existing.basePort === basePort
      && existing.members.length === members;
    if (!same) {
      throw new ClusterError(`${path.join(dir, RECORD_FILE)} records a running cluster '${existing.clusterName}'`
        + ` of ${existing.members.length} member(s) from port ${existing.basePort}; stop it first`, 'ECLUSTERRUNNING', existing);
    }
    const alive = aliveIndexes(existing);
    const handle = makeHandle(existing, { env, alreadyRunning: true });
    const dead = existing.members.map((_, i) => i).filter((i) => !alive.includes(i));
    if (dead.length > 0) {
      await ensureJars({ libDir: existing.libDir, log });
      log(`Restarting member(s) ${dead.join(', ')} of the recorded cluster`);
      for (const i of dead) await spawnMember(existing, i, env);
    }
    await waitMembers(existing, existing.members.map((_, i) => i), members, timeoutMs);
    return handle;
  }
  if (existing) removeRecord(dir);

  await ensureJars({ libDir, log });
  if (persistence) {
    // The members' MapStore needs the database and its tables before the first member starts.
    await migrate(persistence.settings, { log });
  }
  const record: ClusterRecord = {
    clusterName,
    basePort,
    portCount,
    eventsCapacity,
    eventsInMemory,
    persistence: persistence ? { jdbcUrl: jdbcUrl(persistence.settings), user: persistence.settings.user, password: persistence.settings.password } : false,
    heap: [...heap],
    stateDir: dir,
    libDir,
    config: path.resolve(ROOT, config),
    ...(hosts ? { hosts: [...hosts] } : {}),
    javaOptions: [...javaOptions],
    splitBrainMinimum: splitBrainProtection ? splitBrainMinimum(members) : 0,
    startedAt: new Date().toISOString(),
    members: new Array<ClusterMember | null>(members).fill(null),
  };
  for (let i = 0; i < members; i++) {
    fs.rmSync(memberLogFile(dir, basePort + i), { force: true });
  }
  const started = Date.now();
  try {
    // The first member starts alone and becomes master; the others then join it. Starting all at
    // once can make members blacklist each other's ports and form separate clusters.
    await spawnMember(record, 0, env);
    await waitMembers(record, [0], 1, timeoutMs);
    const rest = record.members.map((_, i) => i).slice(1);
    for (const i of rest) await spawnMember(record, i, env);
    const all = record.members.map((_, i) => i);
    await waitMembers(record, all, members, Math.max(1, timeoutMs - (Date.now() - started)));
  } catch (err) {
    await stopCluster(dir).catch(() => {});
    throw err;
  }
  log(`Cluster '${clusterName}' ready: ${members} member(s) on ${record.members.map((m) => `${m!.host}:${m!.port}`).join(', ')}`
    + ` in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return makeHandle(record, { env, alreadyRunning: false });
}

/**
 * Stops exactly the members recorded in `stateDir`: SIGTERM, wait until they exit (deadline),
 * then SIGKILL the rest. Removes the record. Resolves to { stopped, killed } (pids).
 */
export async function stopCluster(stateDir: string = DEFAULTS.stateDir, { timeoutMs = DEFAULTS.stopTimeoutMs }: WaitOptions = {}): Promise<StopResult> {
  const dir = resolveStateDir(stateDir);
  const record = readRecord(dir);
  const result: StopResult = { stopped: [], killed: [] };
  if (!record) return result;
  const live = (): ClusterMember[] => record.members.filter((m): m is ClusterMember => m !== null && isMemberAlive(m.pid, m.port));
  for (const m of live()) {
    signal(m.pid, 'SIGTERM');
    signal(m.pid, 'SIGCONT'); // a SIGSTOPped member handles SIGTERM only once continued
    result.stopped.push(m.pid);
  }
  try {
    await until(() => live().length === 0, { timeoutMs, what: 'members to exit after SIGTERM' });
  } catch (err) {
    if ((err as ClusterError).code !== 'ETIMEDOUT') throw err;
    for (const m of live()) {
      signal(m.pid, 'SIGKILL');
      result.killed.push(m.pid);
    }
    await until(() => live().length === 0, { timeoutMs: 10_000, what: 'members to exit after SIGKILL' });
  }
  removeRecord(dir);
  return result;
}

/** Status of the cluster recorded in `stateDir`: the record plus liveness/health per member. */
export async function clusterStatus(stateDir: string = DEFAULTS.stateDir): Promise<ClusterStatus | undefined> {
  const record = readRecord(stateDir);
  if (!record) return undefined;
  const members: ClusterStatus['members'] = [];
  for (const m of record.members) {
    if (!m) continue;
    const alive = isMemberAlive(m.pid, m.port);
    members.push({ ...m, alive, health: alive ? await memberHealth(m.port, m.host) : undefined });
  }
  return { ...record, members };
}
