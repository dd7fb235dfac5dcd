import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopCluster } from '../../tools/cluster.js';

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * faults/members-die-together (built into dist/ by the test run's global setup) in a process of its
 * own with a small heap: when the defect is there, that process spins and is killed, not this one.
 */
const scenario = async (...args: string[]): Promise<Run> => {
  const child = spawn(process.execPath, ['--max-old-space-size=256', 'dist/faults/members-die-together.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  // A run that was killed leaves its state behind (and its members, if it died before killing them).
  const stateDir = path.join('.hazelcast', `members-die-together-${child.pid}`);
  await stopCluster(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
  return { code, signal, stdout, stderr };
};

/** The one line the watchdog writes: pino's shape, level fatal. */
const watchdogLine = (stderr: string): Record<string, unknown> | undefined =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line['level'] === 60);

describe('every member dies at once while the client writes to them (ADR 0027)', () => {
  it.each([
    ['the client as the service configures it (coalesced writes, failed ones closing their connection)', []],
    ['the fallback for another client version (one socket write per message)', ['--writer=direct']],
  ])('%s keeps its event loop turning and its heap small', async (_, args) => {
    const run = await scenario('--observe-ms=6000', ...args);
    expect(watchdogLine(run.stderr), run.stderr.slice(-2000)).toBeUndefined();
    expect(run.signal).toBeNull();
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { ticks: number; maxHeapMb: number; connected: boolean };
    expect(result.connected).toBe(false);
    // A timer every 50 ms for 6 s: the loop turned all along, not once at the end.
    expect(result.ticks).toBeGreaterThanOrEqual(60);
    expect(result.maxHeapMb).toBeLessThan(100);
    expect(run.code).toBe(0);
  }, 120_000);

  it("with the client's own writer the loop spins, and the watchdog ends the process with one line", async () => {
    // The defect itself, kept reproducible: if a client upgrade fixes it, this fails and ADR 0027 is revisited.
    const run = await scenario('--writer=unguarded-pipeline', '--watchdog-stall-ms=2000', '--observe-ms=6000');
    expect(run.stdout).not.toContain('"ticks"');
    expect(run.signal).toBe('SIGKILL');
    const line = watchdogLine(run.stderr);
    expect(line, run.stderr.slice(-2000)).toMatchObject({ name: 'members-die-together', msg: expect.stringMatching(/^event loop stalled for \d+ ms \(limit 2000 ms\)/) });
    expect(line!['stalledMs']).toBeGreaterThanOrEqual(2000);
  }, 120_000);
});
