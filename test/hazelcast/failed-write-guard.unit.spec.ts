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

/** Runs `work` in each of `count` timer callbacks of one event-loop turn. */
const fromTimerCallbacks = (count: number, work: (index: number) => Promise<void>): Promise<void[]> =>
  new Promise((resolve) => {
    const sent: Promise<void>[] = [];
    for (let index = 0; index < count; index++) {
      setTimeout(() => {
        sent.push(work(index));
        if (sent.length === count) resolve(Promise.all(sent));
      }, 0);
    }
  });

describe('the failed-write guard (ADR 0027) and the once-per-turn flush (ADR 0040)', () => {
  it('finds the internals it wraps in the installed client, so the service keeps coalesced writes', () => {
    // Another client version without them makes the service fall back to one write per message;
    // this fails first, so that the fallback is a decision and not a surprise.
    expect(failedWritesCanBeGuarded()).toBe(true);
  });

  it('writes what the callbacks of one event-loop turn send in one socket write, in order', async () => {
    const plain = writerOverRecordingSocket();
    await fromTimerCallbacks(3, (index) => plain.send(`m${index};`));
    // The client as it comes flushes after the first callback, alone; the rest wait for that write.
    expect(plain.writes.map(String)).toEqual(['m0;', 'm1;m2;']);

    const guarded = writerOverRecordingSocket();
    guardWriter(guarded.writer, () => undefined);
    await fromTimerCallbacks(3, (index) => guarded.send(`m${index};`));
    expect(guarded.writes.map(String)).toEqual(['m0;m1;m2;']);
    // And later messages still go out, in later writes.
    await guarded.send('m3;');
    expect(guarded.writes.map(String)).toEqual(['m0;m1;m2;', 'm3;']);
  });

  it('closes the connection when a write fails, as before', async () => {
    const guarded = writerOverRecordingSocket();
    const closed: string[] = [];
    guardWriter(guarded.writer, (reason) => closed.push(reason));
    guarded.writer.close(new Error('EPIPE'));
    expect(closed).toEqual(['a write to the member failed']);
  });
});
