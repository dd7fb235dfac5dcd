import { Worker } from 'node:worker_threads';

export interface EventLoopWatchdogOptions {
  /** How long the event loop may go without turning before the process is ended. */
  readonly stallMs: number;
  /** Written into the one log line, so that the line can be found among the service's own. */
  readonly name: string;
}

/**
 * The watcher runs on a thread of its own: a starved or spinning event loop cannot run the timer
 * that would notice it. It only reads a counter the main thread bumps and, when the counter stood
 * still for `stallMs`, writes one JSON line (pino's shape, level fatal) to standard error and kills
 * the process with SIGKILL: a signal handler of the main thread would need the stalled loop to run,
 * and `process.exit` in a worker ends only the worker. The code reaches Node's modules through
 * `process.getBuiltinModule`, which works whether the process evaluates it as CommonJS or as a
 * module. See docs/adr/0027.
 */
const WATCHER = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { writeSync } = process.getBuiltinModule('node:fs');
const { hostname } = process.getBuiltinModule('node:os');
const { stallMs, checkMs, name, beat } = workerData;
let seen = Atomics.load(beat, 0);
let changedAt = Date.now();
let checkedAt = changedAt;
setInterval(() => {
  const now = Date.now();
  const current = Atomics.load(beat, 0);
  // This thread did not run either (SIGSTOP, a paused VM, a suspended host): the whole process
  // was stopped, which says nothing of its event loop. Watch it afresh from now.
  const paused = now - checkedAt > 5 * checkMs;
  checkedAt = now;
  if (current !== seen || paused) { seen = current; changedAt = now; return; }
  const stalledMs = now - changedAt;
  if (stalledMs < stallMs) return;
  const rssMb = Math.round(process.memoryUsage.rss() / 1048576);
  writeSync(2, JSON.stringify({ level: 60, time: now, pid: process.pid, hostname: hostname(), name, stalledMs, rssMb,
    msg: 'event loop stalled for ' + stalledMs + ' ms (limit ' + stallMs + ' ms); ending the process so that its supervisor restarts it' }) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, checkMs);
`;

/** Ends the process with one log line when its event loop stops turning; `stop` ends the watch. */
export class EventLoopWatchdog {
  private constructor(
    private readonly worker: Worker,
    private readonly heartbeat: NodeJS.Timeout,
  ) {}

  static start(options: EventLoopWatchdogOptions): EventLoopWatchdog {
    if (!Number.isSafeInteger(options.stallMs) || options.stallMs < 100) throw new RangeError(`stallMs must be an integer of at least 100 (got ${options.stallMs})`);
    const beat = new Int32Array(new SharedArrayBuffer(4));
    // The main thread beats well within the limit, so a busy but turning loop is never taken for a stalled one.
    const beatMs = Math.max(10, Math.floor(options.stallMs / 10));
    const heartbeat = setInterval(() => Atomics.add(beat, 0, 1), beatMs);
    heartbeat.unref();
    const worker = new Worker(WATCHER, { eval: true, workerData: { stallMs: options.stallMs, checkMs: beatMs, name: options.name, beat } });
    worker.unref();
    // A watcher that failed must not take the service with it: say so, and serve on unwatched.
    worker.on('error', (error) => process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), name: options.name, msg: `event-loop watchdog stopped: ${error.message}` })}\n`));
    return new EventLoopWatchdog(worker, heartbeat);
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.worker.terminate();
  }
}
