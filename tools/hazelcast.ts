/**
 * Local Hazelcast cluster for development (built into dist/tools/ by the npm scripts):
 *
 *   npm run hazelcast:start                      one member, cluster `dev`, 127.0.0.1:5701
 *   npm run hazelcast:start -- --members 3       three members (5701-5703)
 *   npm run hazelcast:stop                       stop the members recorded in .hazelcast/
 *   npm run hazelcast:fetch                      only resolve the member jars (Maven)
 *   npm run hazelcast:status                     show the recorded members and their health
 *
 * Options: --members N, --base-port P (5701), --cluster-name NAME ($HAZELCAST_CLUSTER_NAME or
 * `dev`), --state-dir DIR (.hazelcast), --timeout SECONDS (90).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULTS, ROOT, clusterStatus, defaultClusterName, ensureJars, readRecord, startCluster, stopCluster,
  type Cluster, type ClusterRecord, type StartClusterOptions,
} from './cluster.js';

const USAGE = `usage: npm run hazelcast:<start|stop|status|fetch> -- <start|stop|status|fetch> [options]
  --members N          members to start (default ${DEFAULTS.members})
  --base-port P        port of the first member (default ${DEFAULTS.basePort})
  --cluster-name NAME  cluster name (default $HAZELCAST_CLUSTER_NAME or dev)
  --state-dir DIR      pids and logs (default ${DEFAULTS.stateDir})
  --timeout SECONDS    start deadline (default ${DEFAULTS.timeoutMs / 1000})`;

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

const log = (message: string): void => console.log(message);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      members: { type: 'string' },
      'base-port': { type: 'string' },
      'cluster-name': { type: 'string' },
      'state-dir': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command || positionals.length > 1) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const stateDir = values['state-dir'] ?? DEFAULTS.stateDir;
  const shown = path.relative(process.cwd(), path.resolve(ROOT, stateDir)) || '.';

  switch (command) {
    case 'fetch': {
      const jars = await ensureJars({ log });
      log(`${jars.length} jars in ${path.relative(process.cwd(), path.dirname(jars[0]!))}:`);
      for (const jar of jars) log(`  ${path.basename(jar)}`);
      return 0;
    }

    case 'start': {
      const options: StartClusterOptions = {
        members: values.members === undefined ? DEFAULTS.members : positiveInt('members', values.members),
        basePort: values['base-port'] === undefined ? DEFAULTS.basePort : positiveInt('base-port', values['base-port']),
        clusterName: values['cluster-name'] ?? defaultClusterName(),
        stateDir,
        timeoutMs: values.timeout === undefined ? DEFAULTS.timeoutMs : positiveInt('timeout', values.timeout) * 1000,
        log,
      };
      let cluster: Cluster;
      try {
        cluster = await startCluster(options);
      } catch (err) {
        const refused = err as { code?: string; record?: ClusterRecord };
        if (refused.code === 'ECLUSTERRUNNING' && refused.record) {
          const r = refused.record;
          console.error(`A cluster is already running from ${shown}: '${r.clusterName}', ${r.members.length} member(s)`
            + ` on ports ${r.members.map((m) => m?.port).join(', ')}.`);
          console.error('It differs from the one requested; run `npm run hazelcast:stop` first.');
          return 1;
        }
        throw err;
      }
      const where = cluster.members.map((m) => `127.0.0.1:${m.port} (pid ${m.pid})`).join(', ');
      if (cluster.alreadyRunning) {
        log(`Already running: cluster '${cluster.clusterName}', ${cluster.members.length} member(s): ${where}`);
      } else {
        log(`Members: ${where}`);
        const stateOption = values['state-dir'] === undefined ? '' : ` -- --state-dir ${values['state-dir']}`;
        log(`Logs: ${shown}/member-<port>.log; stop with: npm run hazelcast:stop${stateOption}`);
      }
      return 0;
    }

    case 'stop': {
      const record = readRecord(stateDir);
      if (!record) {
        log(`No cluster recorded in ${shown}.`);
        return 0;
      }
      const { stopped, killed } = await stopCluster(stateDir);
      if (stopped.length === 0) {
        log(`No recorded member was running (cluster '${record.clusterName}'); record removed.`);
      } else {
        log(`Stopped cluster '${record.clusterName}': pid(s) ${stopped.join(', ')}`
          + (killed.length ? ` (SIGKILL after the deadline: ${killed.join(', ')})` : ''));
      }
      return 0;
    }

    case 'status': {
      const status = await clusterStatus(stateDir);
      if (!status) {
        log(`No cluster recorded in ${shown}.`);
        return 1;
      }
      log(`Cluster '${status.clusterName}' (${shown}):`);
      for (const m of status.members) {
        const h = m.health;
        log(`  member ${m.index}: 127.0.0.1:${m.port} pid ${m.pid} `
          + (m.alive ? (h ? `${h.ready ? 'ready' : 'not ready'}, ${h.nodeState}, cluster size ${h.clusterSize}` : 'not answering') : 'not running'));
      }
      return status.members.every((m) => m.alive && m.health && m.health.ready) ? 0 : 1;
    }

    default:
      console.error(`unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
