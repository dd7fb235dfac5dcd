import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * A process with the watchdog (from dist/, built by the test run's global setup) whose main thread
 * is held for `holdMs` at a time, `times` times: the hold is what a spinning client does to the loop.
 */
const holding = async (stallMs: number, holdMs: number, times: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> => {
  const script = `
    import { EventLoopWatchdog } from './dist/src/adapters/system/event-loop-watchdog.js';
    const watchdog = EventLoopWatchdog.start({ stallMs: ${stallMs}, name: 'held' });
    const hold = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    for (let i = 0; i < ${times}; i++) {
      hold(${holdMs});
      await new Promise((resolve) => setTimeout(resolve, ${stallMs / 5}));
    }
    await watchdog.stop();
    process.stdout.write('done');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  return { code, signal, stderr };
};

describe('the event-loop watchdog', () => {
  it('ends a process whose loop stands still past the limit with one fatal line', async () => {
    const run = await holding(1_000, 4_000, 1);
    expect(run.signal).toBe('SIGKILL');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 60, name: 'held', msg: expect.stringContaining('event loop stalled') });
  });

  it('leaves alone a loop that is busy for less than the limit at a time', async () => {
    const run = await holding(1_000, 400, 5);
    expect(run).toMatchObject({ code: 0, signal: null, stderr: '' });
  });
});
