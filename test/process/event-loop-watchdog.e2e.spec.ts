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

/**
 * A process with the watchdog whose loop is busy in chunks of about `busyMs` of CPU (counted in
 * iterations, so that a stop from outside does not shorten the chunk it lands in), turning between
 * them, for `runMs`; it prints `started` first.
 */
const busyInChunks = (stallMs: number, busyMs: number, runMs: number) => {
  const script = `
    import { EventLoopWatchdog } from './dist/src/adapters/system/event-loop-watchdog.js';
    const watchdog = EventLoopWatchdog.start({ stallMs: ${stallMs}, name: 'busy' });
    let sink = 0;
    const spin = (n) => { for (let i = 0; i < n; i++) sink += Math.sqrt(i); };
    let spun = 0;
    const calibrateFrom = Date.now();
    while (Date.now() - calibrateFrom < 100) { spin(100_000); spun += 100_000; }
    const perMs = Math.ceil(spun / (Date.now() - calibrateFrom));
    process.stdout.write('started');
    const until = Date.now() + ${runMs};
    while (Date.now() < until) {
      spin(perMs * ${busyMs});
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await watchdog.stop();
    if (sink < 0) process.stdout.write('');`;
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('leaves alone a process stopped from outside (SIGSTOP) past the limit and then continued', async () => {
    // Busy when stopped: on continuing, the watcher looks before the main thread can beat.
    const child = busyInChunks(1_000, 300, 3_000);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGSTOP');
    // The fault itself: the whole process, the watcher's thread included, stands still for 2.5 s.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    child.kill('SIGCONT');
    expect(await exited).toEqual([0, null]);
    expect(stderr).toBe('');
  });
});
