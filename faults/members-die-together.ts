/**
 * node dist/faults/members-die-together.js [--writer=guarded-pipeline|direct|unguarded-pipeline] [--watchdog-stall-ms=N] [--observe-ms=N]
 *
 * Every member of a three-member cluster dies at once while the client has just written to them:
 * the traffic the projection loops make. With hazelcast-client 5.6.0 and its default writer
 * (`unguarded-pipeline` here) a failed write leaves a dead connection registered, the cluster-view listener retries on
 * it without end, the event loop never turns again and the heap grows until the process dies
 * (ADR 0027). This script runs that moment deterministically, with the client configured as the
 * service configures it, and the service's watchdog started:
 *
 * - exit 0 and one JSON line on stdout: the event loop kept turning for `--observe-ms`, the client
 *   saw the cluster gone, the heap stayed small;
 * - killed by the watchdog (SIGKILL, one line on stderr): the event loop stalled.
 *
 * Run it with a small heap (`node --max-old-space-size=256 ...`) so that a run without the watchdog
 * ends in seconds too.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HazelcastConnection, type ClientWriter } from '../src/adapters/hazelcast/hazelcast-connection.js';
import { EventLoopWatchdog } from '../src/adapters/system/event-loop-watchdog.js';
import { freeBasePort } from '../tools/free-port.js';
import * as clusterApi from '../tools/cluster.js';

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const writer = (arg('writer') ?? 'guarded-pipeline') as ClientWriter;
const stallMs = Number(arg('watchdog-stall-ms') ?? 3_000);
const observeMs = Number(arg('observe-ms') ?? 8_000);

/** The parts of the client this scenario reaches into: they are not in its public types. */
interface ClientMessageLike {
  readonly _brand?: never;
}
interface ConnectionInternals {
  getRemoteAddress(): { readonly port: number };
  getLocalAddress(): { readonly port: number };
  write(message: ClientMessageLike): Promise<void>;
}
const { ClientPingCodec } = createRequire(import.meta.url)('hazelcast-client/lib/codec/ClientPingCodec.js') as {
  readonly ClientPingCodec: { encodeRequest(): ClientMessageLike };
};
interface ClientInternals {
  readonly connectionRegistry: { getConnections(): ConnectionInternals[] };
  readonly clusterViewListenerService: { readonly listenerAddedConnection: ConnectionInternals | null };
}

/** Waits without letting the event loop turn: the process is busy while the members die. */
const blockUntil = (condition: () => boolean, deadlineMs: number, what: string): void => {
  const until = Date.now() + deadlineMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!condition()) {
    if (Date.now() > until) throw new Error(`${what}: not within ${deadlineMs} ms`);
    Atomics.wait(pause, 0, 0, 5);
  }
};

/** Whether the kernel took the peer's reset on the socket from `localPort`: it is no longer established or half-closed. */
const isReset = (localPort: number): boolean => {
  const port = localPort.toString(16).toUpperCase().padStart(4, '0');
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .find((row) => row.trim().split(/\s+/)[1]?.endsWith(`:${port}`));
  const state = line?.trim().split(/\s+/)[3];
  // 01 established, 08 close-wait (the peer's FIN read by the kernel, no reset yet).
  return state !== '01' && state !== '08';
};

/** Waits with the event loop turning. */
const waitUntil = async (condition: () => boolean, deadlineMs: number, what: string): Promise<void> => {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Dead or a zombie: a killed member's sockets are closed by the kernel before its parent reaps it. */
const isGone = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
};

const stateDir = path.join('.hazelcast', `members-die-together-${process.pid}`);
const watchdog = EventLoopWatchdog.start({ stallMs, name: 'members-die-together' });
const cluster = await clusterApi.startCluster({
  members: 3,
  basePort: await freeBasePort(6101),
  clusterName: `members-die-together-${process.pid}`,
  stateDir,
  persistence: false,
});
let exitCode = 1;
try {
  const connection = await HazelcastConnection.open({
    members: cluster.addresses,
    clusterName: cluster.clusterName,
    connectTimeoutMs: 30_000,
    invocationTimeoutMs: 10_000,
    nearCachedMaps: [],
    writer,
  });
  const client = connection.client as unknown as ClientInternals;
  await waitUntil(() => client.connectionRegistry.getConnections().length === 3 && client.clusterViewListenerService.listenerAddedConnection !== null, 30_000, 'a connection to each member');
  const listener = client.clusterViewListenerService.listenerAddedConnection!;
  const others = client.connectionRegistry.getConnections().filter((c) => c !== listener);

  // All three die while this process is busy, and before it reads their sockets it writes twice to
  // each member that does not carry the cluster-view listener: the first write is taken by the
  // kernel and answered with a reset, the second fails.
  const pids = cluster.members.map((m) => m.pid);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  blockUntil(() => pids.every(isGone), 10_000, 'the members to die');
  // The first write is taken by the kernel, and the dead peer answers it with a reset; only once
  // the reset is in does the second write fail. On a busy machine the reset can come late, and the
  // socket would read it first and close the normal way: so wait for it, still without letting the
  // loop turn.
  await Promise.all(others.map((other) => other.write(ClientPingCodec.encodeRequest()).catch(() => undefined)));
  blockUntil(() => others.every((other) => isReset(other.getLocalAddress().port)), 10_000, 'the resets of the first writes');
  for (const other of others) other.write(ClientPingCodec.encodeRequest()).catch(() => undefined);

  // From here the event loop must keep turning: this timer is the proof.
  let ticks = 0;
  let maxHeapMb = 0;
  const sampler = setInterval(() => {
    ticks++;
    maxHeapMb = Math.max(maxHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
  }, 50);
  const startedMs = Date.now();
  await waitUntil(() => Date.now() - startedMs >= observeMs, observeMs + 5_000, 'the observation');
  clearInterval(sampler);
  const result = { writer, observeMs, ticks, maxHeapMb: Math.round(maxHeapMb), connected: connection.check().connected };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  exitCode = !result.connected && ticks >= observeMs / 100 ? 0 : 1;
  await connection.close().catch(() => undefined);
} finally {
  await cluster.stop().catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
  await watchdog.stop();
}
process.exit(exitCode);
