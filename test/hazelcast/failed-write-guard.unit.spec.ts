import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { failedWritesCanBeGuarded, guardWriter } from '../../src/adapters/hazelcast/failed-write-guard.js';

/** The client's own pipelined writer (internal to hazelcast-client 5.6.0), over a socket that records its writes. */
const writerOverRecordingSocket = () => {
  const require = createRequire(import.meta.url);
  const { PipelinedWriter } = require('hazelcast-client/lib/network/Connection.js') as {
    PipelinedWriter: new (socket: unknown, threshold: number, counted: (bytes: number) => void) => {
      write(message: unknown, resolver: { resolve(): void; reject(error: Error): void }): void;
    } & Parameters<typeof guardWriter>[0];
  };
  const writes: Buffer[] = [];
  const socket = Object.assign(new EventEmitter(), {
    write(buffer: Buffer, done: (error?: Error) => void): boolean {
      writes.push(Buffer.from(buffer));
      setImmediate(() => done());
      return true;
    },
    destroy(): void {},
  });
  const writer = new PipelinedWriter(socket, 8_192, () => undefined);
  const message = (text: string) => ({
    getTotalLength: () => text.length,
    writeTo: (buffer: Buffer, position: number) => position + buffer.write(text, position),
    toBuffer: () => Buffer.from(text),
  });
  const send = (text: string): Promise<void> => new Promise((resolve, reject) => writer.write(message(text), { resolve, reject }));
  return { writer, writes, send };
};

describe('the failed-write guard (ADR 0027)', () => {
  it('finds the internals it wraps in the installed client, so the service keeps coalesced writes', () => {
    // Another client version without them makes the service fall back to one write per message;
    // this fails first, so that the fallback is a decision and not a surprise.
    expect(failedWritesCanBeGuarded()).toBe(true);
  });

  it('closes the connection when a write fails, as before', async () => {
    const guarded = writerOverRecordingSocket();
    const closed: string[] = [];
    guardWriter(guarded.writer, (reason) => closed.push(reason));
    guarded.writer.close(new Error('EPIPE'));
    expect(closed).toEqual(['a write to the member failed']);
  });
});
