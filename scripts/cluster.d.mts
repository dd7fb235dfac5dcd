// Types of scripts/cluster.mjs (local Hazelcast cluster for development and tests).

/** Repository root. */
export declare const ROOT: string;
/** hazelcast/pom.xml: pins the member jars. */
export declare const POM: string;
/** hazelcast/member.yaml: member configuration. */
export declare const MEMBER_CONFIG: string;
/** .hazelcast/lib: the member classpath. */
export declare const LIB_DIR: string;
export declare const MAIN_CLASS: string;
export declare const JAVA_MODULE_FLAGS: readonly string[];

export declare const DEFAULTS: Readonly<{
  members: number;
  basePort: number;
  portCount: number;
  stateDir: string;
  eventsCapacity: number;
  heap: readonly string[];
  timeoutMs: number;
  stopTimeoutMs: number;
}>;

export interface PgSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface Persistence {
  settings: PgSettings;
}

export declare function defaultPersistence(env?: Record<string, string | undefined>): Persistence | false;

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
  index: number;
  pid: number;
  /** The member's address (127.0.0.1 unless the cluster was given `hosts`). */
  host?: string;
  port: number;
  logFile: string;
  startedAt: string;
}

export interface MemberHealth {
  /** GET /hazelcast/health/ready answered 200. */
  ready: boolean;
  nodeState?: string;
  clusterState?: string;
  clusterSafe?: boolean;
  migrationQueueSize?: number;
  clusterSize?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface StopResult {
  /** Pids sent SIGTERM. */
  stopped: number[];
  /** Pids still alive at the deadline, sent SIGKILL. */
  killed: number[];
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

export interface ClusterRecord {
  clusterName: string;
  basePort: number;
  portCount: number;
  eventsCapacity: number;
  heap: string[];
  stateDir: string;
  libDir: string;
  config: string;
  startedAt: string;
  members: Array<ClusterMember | null>;
}

export interface ClusterStatus extends Omit<ClusterRecord, 'members'> {
  members: Array<ClusterMember & { alive: boolean; health?: MemberHealth }>;
}

/** $HAZELCAST_CLUSTER_NAME or 'dev'. */
export declare function defaultClusterName(): string;

/**
 * Starts the members and resolves once each is ready and sees `members` members. Rejects (after
 * stopping what it started) on timeout or when a member exits; the message holds the log tails.
 * Rejects with code 'ECLUSTERRUNNING' when the state directory records a different running cluster.
 */
export declare function startCluster(options?: StartClusterOptions): Promise<Cluster>;

/** Stops exactly the members recorded in `stateDir` (SIGTERM, deadline, SIGKILL) and removes the record. */
export declare function stopCluster(stateDir?: string, options?: WaitOptions): Promise<StopResult>;

/** Resolves the member jars into .hazelcast/lib with Maven when missing or stale; resolves to their paths. */
export declare function ensureJars(options?: {
  libDir?: string;
  force?: boolean;
  log?: (message: string) => void;
}): Promise<string[]>;

export declare function clusterStatus(stateDir?: string): Promise<ClusterStatus | undefined>;
export declare function readRecord(stateDir?: string): ClusterRecord | undefined;
export declare function memberHealth(port: number, host?: string): Promise<MemberHealth | undefined>;
export declare function isMemberAlive(pid: number, port?: number): boolean;
export declare function memberLogFile(stateDir: string | undefined, port: number): string;
export declare function tail(file: string, lines?: number): string;
