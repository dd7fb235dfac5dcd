import { createRequire } from 'node:module';
import type { Client } from 'hazelcast-client';

/** The parts of client 5.6.0 the guard reaches into: they are not in its public types. */
interface WriterInternals {
  close(error: Error): void;
  readonly constructor: { readonly name: string };
}
interface ConnectionInternals {
  readonly writer: WriterInternals;
  close(reason: string | null, cause: Error): void;
}
interface ClientInternals {
  getConnectionManager(): {
    on(event: 'connectionAdded', listener: (connection: ConnectionInternals) => void): void;
    getConnectionRegistry(): { getConnections(): ConnectionInternals[] };
  };
}

const guarded = new WeakSet<WriterInternals>();

/** Applies to one writer what the guard does to every connection's: for tests. */
export const guardWriter = (writer: WriterInternals, closeConnection: (reason: string, cause: Error) => void): void =>
  guard({ writer, close: (reason, cause) => closeConnection(reason ?? '', cause) });

const guard = (connection: ConnectionInternals): void => {
  const writer = connection.writer;
  if (writer.constructor.name !== 'PipelinedWriter' || typeof writer.close !== 'function' || guarded.has(writer)) return;
  guarded.add(writer);
  const closeWriter = writer.close.bind(writer);
  writer.close = (error: Error): void => {
    closeWriter(error);
    // Also when the writer closes itself on a failed write: the connection leaves the registry now,
    // before anything can pick it again. Re-entry from Connection.close returns at once.
    connection.close('a write to the member failed', error);
  };
};

/**
 * Keeps the client's coalescing writer without its defect (ADR 0027): in client 5.6.0 and 5.7.0 a
 * failed pipelined write destroys the socket without closing the connection, which stays
 * registered and "alive"; the cluster-view listener then retries on it in a `process.nextTick`
 * loop that never lets the event loop turn. Each connection's writer is wrapped so that its
 * closing closes the connection: on the connections the client holds now, and on every one it adds.
 */
export const guardFailedWrites = (client: Client): void => {
  const manager = (client as unknown as ClientInternals).getConnectionManager();
  manager.on('connectionAdded', guard);
  for (const connection of manager.getConnectionRegistry().getConnections()) guard(connection);
};

/**
 * Whether the installed client has the internals the guard wraps; with another client version it
 * may not, and the connection then writes without pipelining instead.
 */
export const failedWritesCanBeGuarded = (): boolean => {
  const require = createRequire(import.meta.url);
  try {
    const { PipelinedWriter } = require('hazelcast-client/lib/network/Connection.js') as { PipelinedWriter?: { prototype: Partial<WriterInternals> & { handleError?: unknown } } };
    const { HazelcastClient } = require('hazelcast-client/lib/HazelcastClient.js') as { HazelcastClient?: { prototype: Partial<ClientInternals> } };
    const { ConnectionManager } = require('hazelcast-client/lib/network/ConnectionManager.js') as { ConnectionManager?: { prototype: { getConnectionRegistry?: unknown } } };
    return (
      typeof PipelinedWriter?.prototype.close === 'function' &&
      typeof PipelinedWriter.prototype.handleError === 'function' &&
      typeof HazelcastClient?.prototype.getConnectionManager === 'function' &&
      typeof ConnectionManager?.prototype.getConnectionRegistry === 'function'
    );
  } catch {
    return false;
  }
};
