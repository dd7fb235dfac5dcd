// Local Hazelcast cluster for development and tests.
//
// Starts community members (hazelcast/member.yaml) as detached `java` processes bound to
// 127.0.0.1, records their pids in <stateDir>/members.json and waits until every member reports
// ready on its health endpoint with the expected cluster size. Only node built-ins are used.
//
//   import { startCluster, stopCluster } from '../scripts/cluster.mjs';
//
//   // vitest globalSetup: a dedicated cluster name and base port, so tests never join a
//   // developer's cluster (npm run hazelcast:start uses `dev` on 5701).
//   export async function setup() {
//     const cluster = await startCluster({
//       members: 3, basePort: 5801, clusterName: 'hzcqrs-test', stateDir: '.hazelcast/test',
//     });
//     return () => cluster.stop();
//   }
//
// The CLI is scripts/hazelcast.mjs (npm run hazelcast:start | hazelcast:stop | hazelcast:fetch).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { jdbcUrl, migrate, pgSettings } from './db.mjs';

/** Repository root (the folder holding package.json). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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

const RECORD_FILE = 'members.json';
const JARS_MARKER = '.resolved.json';
const POLL_MS = 200;

/**
 * PostgreSQL behind the members' MapStore: PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD, on unless
 * HZCQRS_PERSISTENCE=off (then a full cluster restart loses everything).
 */
export function defaultPersistence(env = process.env) {
  return env.HZCQRS_PERSISTENCE === 'off' ? false : { settings: pgSettings(env) };
}

/** Cluster name used when none is given: $HAZELCAST_CLUSTER_NAME, else `dev`. */
export function defaultClusterName() {
  return process.env.HAZELCAST_CLUSTER_NAME || 'dev';
}

function resolveStateDir(stateDir) {
  return path.resolve(ROOT, stateDir ?? DEFAULTS.stateDir);
}

/** Log file of the member on `port`. */
export function memberLogFile(stateDir, port) {
  return path.join(resolveStateDir(stateDir), `member-${port}.log`);
}

// ---------------------------------------------------------------------------------------------
// Jars
// ---------------------------------------------------------------------------------------------

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if (err && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

function writeJsonAtomic(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** What the jars are built from: the pom and the member's Java sources. */
function buildHash() {
  const sources = path.join(path.dirname(POM), 'src');
  const files = fs.existsSync(sources) ? listFiles(sources).sort() : [];
  return sha256Text([fs.readFileSync(POM, 'utf8'), ...files.map((f) => `${path.relative(sources, f)}\n${fs.readFileSync(f, 'utf8')}`)].join('\0'));
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
}

function sha256Text(text) {
  return createHash('sha256').update(text).digest('hex');
}

function jarsComplete(libDir, pomHash) {
  const marker = readJson(path.join(libDir, JARS_MARKER));
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

function run(command, args, options) {
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
export async function ensureJars({ libDir = LIB_DIR, force = false, log = () => {} } = {}) {
  const pomHash = buildHash();
  if (!force && jarsComplete(libDir, pomHash)) {
    return readJson(path.join(libDir, JARS_MARKER)).jars.map((jar) => path.join(libDir, jar));
  }
  const previous = readJson(path.join(libDir, JARS_MARKER));
  fs.mkdirSync(libDir, { recursive: true });
  if (force || !previous || previous.pomSha256 !== pomHash) {
    // Unknown content or another pom: drop the old jars so that no stale version stays on the
    // classpath. (With the same pom only a missing jar brought us here; Maven adds it back.)
    for (const name of fs.readdirSync(libDir)) {
      if (name.endsWith('.jar') || name === JARS_MARKER) fs.rmSync(path.join(libDir, name), { force: true });
    }
  }
  log(`Resolving Hazelcast jars with Maven into ${path.relative(ROOT, libDir) || libDir} ...`);
  const mvn = process.env.MVN || 'mvn';
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
export function isMemberAlive(pid, port) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if (err && err.code === 'ENOENT' && fs.existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return e.code === 'EPERM';
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

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
    return true;
  } catch (err) {
    if (err.code === 'ESRCH') return false;
    throw err;
  }
}

/** Polls `condition` every POLL_MS until it returns a truthy value or the deadline passes. */
async function until(condition, { timeoutMs, what }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() >= deadline) {
      const err = new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      err.code = 'ETIMEDOUT';
      throw err;
    }
    await delay(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

function portFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** GET http://<host>:<port><urlPath>; resolves to { status, body } or undefined when unreachable. */
function httpGet(port, urlPath, timeoutMs = 1000, host = '127.0.0.1') {
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
export async function memberHealth(port, host = '127.0.0.1') {
  const ready = await httpGet(port, '/hazelcast/health/ready', 1000, host);
  if (!ready) return undefined;
  const health = await httpGet(port, '/hazelcast/health', 1000, host);
  let details = {};
  if (health && health.status === 200) {
    try {
      details = JSON.parse(health.body);
    } catch {
      details = {};
    }
  }
  return { ready: ready.status === 200, ...details };
}

/** Last `lines` lines of a file ('' when it does not exist). */
export function tail(file, lines = 40) {
  let text;
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
export function readRecord(stateDir) {
  return readJson(path.join(resolveStateDir(stateDir), RECORD_FILE));
}

function writeRecord(record) {
  fs.mkdirSync(record.stateDir, { recursive: true });
  writeJsonAtomic(path.join(record.stateDir, RECORD_FILE), record);
}

function removeRecord(stateDir) {
  fs.rmSync(path.join(resolveStateDir(stateDir), RECORD_FILE), { force: true });
}

/** Member i's address: its own loopback address when the cluster was given `hosts`, else 127.0.0.1. */
function hostOf(record, index) {
  return record.hosts?.[index] ?? '127.0.0.1';
}

function memberList(record) {
  if (record.hosts) return record.hosts.map((host, i) => `${host}:${record.basePort + i}`).join(',');
  return Array.from({ length: record.portCount }, (_, i) => `127.0.0.1:${record.basePort + i}`).join(',');
}

/**
 * Split-brain protection (ADR 0035): a cluster of three or more members refuses map operations
 * while it holds fewer than a majority of them; smaller clusters (tests) are not protected.
 */
function splitBrainMinimum(members) {
  return members >= 3 ? Math.floor(members / 2) + 1 : 0;
}

function javaCommand() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function javaArgs(record, index) {
  const port = record.basePort + index;
  const extra = (process.env.HAZELCAST_JAVA_OPTS || '').split(/\s+/).filter(Boolean);
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
    // Split-brain protection (hazelcast/member.yaml, ADR 0035).
    `-Dhzcqrs.split-brain-protection.enabled=${(record.splitBrainMinimum ?? 0) > 0}`,
    `-Dhzcqrs.split-brain-protection.minimum-size=${Math.max(2, record.splitBrainMinimum ?? 0)}`,
    `-Dhzcqrs.state-dir=${record.stateDir}`,
    // Write-through to PostgreSQL of the event log and idempotency records (hazelcast/member.yaml).
    `-Dhzcqrs.persistence=${record.persistence ? 'true' : 'false'}`,
    `-Dhzcqrs.pg.url=${record.persistence?.jdbcUrl ?? 'jdbc:postgresql://127.0.0.1:5432/hzcqrs'}`,
    `-Dhzcqrs.pg.user=${record.persistence?.user ?? 'postgres'}`,
    `-Dhzcqrs.pg.password=${record.persistence?.password ?? ''}`,
    '-cp', `${record.libDir}${path.sep}*`,
    MAIN_CLASS,
  ];
}

async function spawnMember(record, index, env) {
  const port = record.basePort + index;
  const host = hostOf(record, index);
  if (!(await portFree(port, host))) {
    throw new Error(`port ${port} on ${host} is already in use by a process this cluster did not record`
      + ` (${path.join(record.stateDir, RECORD_FILE)}); choose another --base-port or stop it`);
  }
  const logFile = memberLogFile(record.stateDir, port);
  fs.mkdirSync(record.stateDir, { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  let child;
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
  const spawned = await new Promise((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (err) => resolve(err));
  });
  if (spawned) throw new Error(`cannot start ${javaCommand()}: ${spawned.message}`);
  child.unref();
  const member = { index, pid: child.pid, host, port, logFile, startedAt: new Date().toISOString() };
  record.members[index] = member;
  writeRecord(record);
  return member;
}

function failure(message, record, indexes) {
  const logs = indexes
    .map((i) => record.members[i])
    .filter(Boolean)
    .map((m) => `---- last lines of ${m.logFile} (member ${m.index}, pid ${m.pid}) ----\n${tail(m.logFile)}`)
    .join('\n');
  const err = new Error(`${message}\n${logs}`);
  err.summary = message;
  return err;
}

/**
 * Waits until each member in `indexes` is alive, ready, and sees `expectedSize` members.
 * Fails fast when one of them exits.
 */
async function waitMembers(record, indexes, expectedSize, timeoutMs) {
  let last = [];
  try {
    await until(async () => {
      last = [];
      for (const i of indexes) {
        const m = record.members[i];
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
    if (err.code !== 'ETIMEDOUT') throw err;
    throw failure(`${err.message}; last health: ${JSON.stringify(last)}`, record, indexes);
  }
}

function aliveIndexes(record) {
  return record.members
    .map((m, i) => (m && isMemberAlive(m.pid, m.port) ? i : -1))
    .filter((i) => i >= 0);
}

function makeHandle(record, { env, alreadyRunning }) {
  const handle = {
    clusterName: record.clusterName,
    basePort: record.basePort,
    stateDir: record.stateDir,
    alreadyRunning,
    /** Recorded members: { index, pid, port, logFile }. */
    get members() {
      return record.members.map((m) => ({ ...m }));
    },
    /** 'host:port' of every recorded member, for the client's network.clusterMembers. */
    get addresses() {
      return record.members.map((m, i) => `${hostOf(record, i)}:${m.port}`);
    },
    /** Indexes of the members whose process is alive. */
    aliveMembers() {
      return aliveIndexes(record);
    },
    /** Health of member `i` (see memberHealth), or undefined when it does not answer. */
    health(i) {
      return memberHealth(record.members[i].port, hostOf(record, i));
    },
    /** Last lines of member `i`'s log. */
    logTail(i, lines = 40) {
      return tail(record.members[i].logFile, lines);
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
      return { ...record.members[i] };
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
  heap = DEFAULTS.heap,
  timeoutMs = DEFAULTS.timeoutMs,
  libDir = LIB_DIR,
  config = MEMBER_CONFIG,
  persistence = defaultPersistence(),
  hosts,
  javaOptions = [],
  splitBrainProtection = true,
  log = () => {},
} = {}) {
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
      const err = new Error(`${path.join(dir, RECORD_FILE)} records a running cluster '${existing.clusterName}'`
        + ` of ${existing.members.length} member(s) from port ${existing.basePort}; stop it first`);
      err.code = 'ECLUSTERRUNNING';
      err.record = existing;
      throw err;
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
  const record = {
    clusterName,
    basePort,
    portCount,
    eventsCapacity,
    persistence: persistence ? { jdbcUrl: jdbcUrl(persistence.settings), user: persistence.settings.user, password: persistence.settings.password } : false,
    heap: [...heap],
    stateDir: dir,
    libDir,
    config: path.resolve(ROOT, config),
    ...(hosts ? { hosts: [...hosts] } : {}),
    javaOptions: [...javaOptions],
    splitBrainMinimum: splitBrainProtection ? splitBrainMinimum(members) : 0,
    startedAt: new Date().toISOString(),
    members: new Array(members).fill(null),
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
  log(`Cluster '${clusterName}' ready: ${members} member(s) on ${record.members.map((m) => `${m.host}:${m.port}`).join(', ')}`
    + ` in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return makeHandle(record, { env, alreadyRunning: false });
}

/**
 * Stops exactly the members recorded in `stateDir`: SIGTERM, wait until they exit (deadline),
 * then SIGKILL the rest. Removes the record. Resolves to { stopped, killed } (pids).
 */
export async function stopCluster(stateDir = DEFAULTS.stateDir, { timeoutMs = DEFAULTS.stopTimeoutMs } = {}) {
  const dir = resolveStateDir(stateDir);
  const record = readRecord(dir);
  const result = { stopped: [], killed: [] };
  if (!record) return result;
  const live = () => record.members.filter((m) => m && isMemberAlive(m.pid, m.port));
  for (const m of live()) {
    signal(m.pid, 'SIGTERM');
    signal(m.pid, 'SIGCONT'); // a SIGSTOPped member handles SIGTERM only once continued
    result.stopped.push(m.pid);
  }
  try {
    await until(() => live().length === 0, { timeoutMs, what: 'members to exit after SIGTERM' });
  } catch (err) {
    if (err.code !== 'ETIMEDOUT') throw err;
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
export async function clusterStatus(stateDir = DEFAULTS.stateDir) {
  const record = readRecord(stateDir);
  if (!record) return undefined;
  const members = [];
  for (const m of record.members) {
    if (!m) continue;
    const alive = isMemberAlive(m.pid, m.port);
    members.push({ ...m, alive, health: alive ? await memberHealth(m.port, m.host) : undefined });
  }
  return { ...record, members };
}
