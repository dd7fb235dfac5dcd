import {
  Client,
  EvictionPolicy,
  InMemoryFormat,
  JsonStringDeserializationPolicy,
  LifecycleState,
  ReconnectMode,
} from 'hazelcast-client';
import { BackendUnavailableError } from '../../application/ports/backend-errors.js';
import type { BackendStatus } from '../../domain/ports/backend-status.port.js';
import type { WriteThroughError } from '../../application/ports/backend-inspection.port.js';
import { failedWritesCanBeGuarded, guardFailedWrites } from './failed-write-guard.js';

export interface HazelcastConnectionOptions {
  readonly members: readonly string[];
  readonly clusterName: string;
  /** How long start-up waits for the cluster before giving up with one clear line. */
  readonly connectTimeoutMs: number;
  /** Per call; bounded well below the client's 120 s default so a lost cluster answers 503 quickly. */
  readonly invocationTimeoutMs: number;
  /** Map names read through the Near Cache. */
  readonly nearCachedMaps: readonly string[];
  /** Connect to every member (default) or only through the listed addresses. */
  readonly smartRouting?: boolean;
  /**
   * How the client writes to its sockets (ADR 0027). `guarded-pipeline` (default when the installed
   * client allows it): coalesced writes, and a connection whose write failed is closed at once.
   * `direct`: one socket write per message. `unguarded-pipeline`: the client's own default, whose
   * failed writes leave dead connections registered and can spin the event loop; only to reproduce
   * that defect.
   */
  readonly writer?: ClientWriter;
}

/** Calls whose map the member writes through to PostgreSQL before it answers (ADR 0019). */
const WRITE_THROUGH_OPERATIONS = new Set(['append event', 'claim idempotency key', 'complete idempotency key']);
/** A failure of the member's MapStore, as the client receives it: the Java exception's text. */
const DATABASE_FAILURE = /postgres|sql|jdbc|mapstore/i;

export type ClientWriter = 'guarded-pipeline' | 'direct' | 'unguarded-pipeline';

/**
 * The client, and whether it is connected now. It reconnects by itself, forever, with backoff:
 * the cluster returning is enough for the service to carry on.
 */
export class HazelcastConnection implements BackendStatus {
  private connected = false;
  private epoch = 0;
  private membersLost = 0;
  private writeThroughError: WriteThroughError | undefined;
  private membersChanged = 0;

  private constructor(readonly client: Client) {}

  static async open(options: HazelcastConnectionOptions): Promise<HazelcastConnection> {
    let connection: HazelcastConnection | undefined;
    const writer = options.writer ?? (failedWritesCanBeGuarded() ? 'guarded-pipeline' : 'direct');
    const starting = Client.newHazelcastClient({
      clusterName: options.clusterName,
      network: { clusterMembers: [...options.members], smartRouting: options.smartRouting ?? true },
      connectionStrategy: {
        asyncStart: false,
        reconnectMode: ReconnectMode.ON,
        connectionRetry: { clusterConnectTimeoutMillis: -1, initialBackoffMillis: 250, maxBackoffMillis: 5_000, multiplier: 2, jitter: 0.2 },
      },
      serialization: { jsonStringDeserializationPolicy: JsonStringDeserializationPolicy.NO_DESERIALIZATION },
      nearCaches: Object.fromEntries(
        options.nearCachedMaps.map((name) => [
          name,
          {
            invalidateOnChange: true,
            inMemoryFormat: InMemoryFormat.OBJECT,
            evictionPolicy: EvictionPolicy.LRU,
            evictionMaxSize: 100_000,
          },
        ]),
      ),
      properties: {
        'hazelcast.client.invocation.timeout.millis': options.invocationTimeoutMs,
        'hazelcast.client.heartbeat.timeout': 10_000,
        'hazelcast.client.autopipelining.enabled': writer !== 'direct',
        'hazelcast.logging.level': 'WARN',
      },
      lifecycleListeners: [
        (state: LifecycleState) => {
          if (state === LifecycleState.CONNECTED) connection?.setConnected(true);
          if (state === LifecycleState.DISCONNECTED || state === LifecycleState.SHUTTING_DOWN) connection?.setConnected(false);
        },
      ],
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BackendUnavailableError(`no Hazelcast member of cluster '${options.clusterName}' answered at ${options.members.join(',')} within ${options.connectTimeoutMs} ms`)),
        options.connectTimeoutMs,
      );
    });
    try {
      const client = await Promise.race([starting, deadline]);
      if (writer === 'guarded-pipeline') guardFailedWrites(client);
      connection = new HazelcastConnection(client);
      const counted = connection;
      client.getCluster().addMembershipListener({
        memberRemoved: () => {
          counted.membersLost++;
          counted.membersChanged++;
        },
        memberAdded: () => counted.membersChanged++,
      });
      connection.setConnected(client.getLifecycleService().isRunning());
      return connection;
    } catch (error) {
      starting.then((client) => client.shutdown()).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  check(): { readonly connected: boolean; readonly detail?: string } {
    return this.connected ? { connected: true } : { connected: false, detail: 'the Hazelcast cluster is not reachable; reconnecting' };
  }

  /**
   * Grows when the client loses the cluster. A cluster restarted without persistence comes back
   * empty, and entry events sent while the client was away are lost: what an adapter or the
   * command executor remembers from an earlier epoch is read again.
   */
  connectionEpoch(): number {
    return this.epoch;
  }

  /**
   * Changes with the connection epoch and whenever a member leaves: entry events that member had
   * not sent, and the copies of partitions it held, may be lost with it. What an adapter derived
   * from events or from a ringbuffer's position under one membership is checked again under the next.
   */
  membership(): string {
    return `${this.epoch}/${this.membersLost}`;
  }

  /** Members left or joined, and connections lost: after a split brain the merge brings events in late (ADR 0035). */
  membershipChanges(): number {
    return this.epoch + this.membersChanged;
  }

  /** Runs a client call; any failure of it is the backend's, and a disconnected client fails at once. */
  async call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (!this.connected) throw new BackendUnavailableError(`${operation}: the Hazelcast cluster is not reachable`);
    try {
      return await work();
    } catch (error) {
      if (error instanceof BackendUnavailableError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (WRITE_THROUGH_OPERATIONS.has(operation) && DATABASE_FAILURE.test(message)) {
        this.writeThroughError = { at: new Date().toISOString(), operation, message };
      }
      throw new BackendUnavailableError(`${operation}: ${message}`, { cause: error });
    }
  }

  /** The last write the member could not pass on to PostgreSQL, as this client was told. */
  lastWriteThroughError(): WriteThroughError | undefined {
    return this.writeThroughError;
  }

  async close(): Promise<void> {
    this.connected = false;
    await this.client.shutdown();
  }

  private setConnected(value: boolean): void {
    if (this.connected && !value) this.epoch++;
    this.connected = value;
  }
}
