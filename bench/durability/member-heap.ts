import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const MIB = 1024 * 1024;

export interface HeapAfterGc {
  readonly usedBytes: number;
  readonly committedBytes: number;
}

/**
 * The member's heap after a full collection, asked of the JVM with `jcmd` (GC.run, then
 * GC.heap_info): what the member's data holds, not what garbage happens to lie around. A full
 * collection pauses the member for a second or two, so it is asked only between measurements.
 */
export const heapAfterFullGc = async (pid: number): Promise<HeapAfterGc> => {
  await exec('jcmd', [String(pid), 'GC.run'], { timeout: 120_000 });
  return heapNow(pid);
};

/** The member's heap as it is now, garbage included (jcmd GC.heap_info, no collection). */
export const heapNow = async (pid: number): Promise<HeapAfterGc> => {
  const { stdout } = await exec('jcmd', [String(pid), 'GC.heap_info'], { timeout: 60_000 });
  const match = /total (\d+)K, used (\d+)K/.exec(stdout);
  if (!match) throw new Error(`jcmd GC.heap_info of ${pid} gave no heap line:\n${stdout}`);
  return { committedBytes: Number(match[1]) * 1024, usedBytes: Number(match[2]) * 1024 };
};

/** JVM flags that make a member write one line per collection, stamped with the wall clock. */
export const gcLogOptions = (dir: string): string[] => [`-Xlog:gc:file=${path.join(dir, 'gc-%p.log')}:timemillis`];

export interface HeapUnderLoad {
  readonly collections: number;
  /** The most the heap held just before a collection: the peak of live data plus garbage. */
  readonly peakUsedBytes: number;
  /** The most the heap still held just after a collection: close to the live data at its largest. */
  readonly maxAfterCollectionBytes: number;
  readonly committedBytes: number;
}

/**
 * The member's heap while work ran, read from its GC log (gcLogOptions) between two wall-clock
 * times: no sampling process competes with the member for the CPU.
 */
export const heapBetween = (dir: string, pid: number, fromMs: number, toMs: number, atEnd?: HeapAfterGc): HeapUnderLoad => {
  const file = path.join(dir, `gc-${pid}.log`);
  let collections = 0;
  let peak = 0;
  let after = 0;
  let committed = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\[(\d+)ms\] GC\(\d+\) Pause .*? (\d+)M->(\d+)M\((\d+)M\)/.exec(line);
    if (!match) continue;
    const at = Number(match[1]);
    if (at < fromMs || at > toMs) continue;
    collections++;
    peak = Math.max(peak, Number(match[2]) * MIB);
    after = Math.max(after, Number(match[3]) * MIB);
    committed = Math.max(committed, Number(match[4]) * MIB);
  }
  // The heap at the end of the window counts as well: a window may see no collection at all.
  return {
    collections,
    peakUsedBytes: Math.max(peak, atEnd?.usedBytes ?? 0),
    maxAfterCollectionBytes: after,
    committedBytes: Math.max(committed, atEnd?.committedBytes ?? 0),
  };
};

export const mib = (bytes: number): string => `${Math.round(bytes / MIB).toLocaleString('en-US')} MB`;

/** The classes holding most of the member's heap (jcmd GC.class_histogram, after a full collection): the top `lines`. */
export const heapHistogram = async (pid: number, lines: number): Promise<string[]> => {
  const { stdout } = await exec('jcmd', [String(pid), 'GC.class_histogram'], { timeout: 120_000, maxBuffer: 64 * MIB });
  return stdout
    .split('\n')
    // Rows are `  n:  instances  bytes  class (module)`; jcmd's first line, `<pid>:`, is not one.
    .filter((line) => /^\s*\d+:\s+\d+\s+\d+\s+\S/.test(line))
    .slice(0, lines)
    .map((line) => {
      const [, instances, bytes, name] = line.trim().split(/\s+/);
      return `| ${name} | ${Number(instances).toLocaleString('en-US')} | ${mib(Number(bytes))} |`;
    });
};
